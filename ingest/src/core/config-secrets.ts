// Webhook secrets never leave the server: configurations are returned with each secret
// masked, and a configuration PUT back with the mask keeps the stored secret of the rule
// with the same id (so a GET → edit → PUT round trip does not break a webhook).
import type { SiteConfig } from './site-config.js';

export const SECRET_MASK = '********';

/** A copy of `cfg` (or any stored config object) with every rule's webhook secret masked. */
export function redactSecrets<T>(cfg: T): T {
  const rules = (cfg as { overflow_rules?: unknown }).overflow_rules;
  if (!Array.isArray(rules)) return cfg;
  return {
    ...cfg,
    overflow_rules: rules.map((r: { webhook?: { secret?: unknown } }) =>
      r?.webhook ? { ...r, webhook: { ...r.webhook, secret: SECRET_MASK } } : r,
    ),
  };
}

/**
 * A copy of a PUT body where each masked secret is replaced by the stored one of the same
 * rule id, only while the rule's URL is unchanged: a secret is never carried to a new URL
 * (whoever can read the masked config must not receive deliveries signed with it). A mask
 * with a new URL is left as it is, and the validator refuses it as too short.
 */
export function restoreMaskedSecrets(body: unknown, current: SiteConfig): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const rules = (body as { overflow_rules?: unknown }).overflow_rules;
  if (!Array.isArray(rules)) return body;
  const stored = new Map(current.overflow_rules.map((r) => [r.id, r.webhook]));
  return {
    ...body,
    overflow_rules: rules.map(
      (r: { id?: unknown; webhook?: { secret?: unknown; url?: unknown } }) => {
        if (r?.webhook?.secret !== SECRET_MASK || typeof r.id !== 'string') return r;
        const was = stored.get(r.id);
        if (!was || !sameUrl(was.url, r.webhook.url)) return r;
        return { ...r, webhook: { ...r.webhook, secret: was.secret } };
      },
    ),
  };
}

/** Two webhook URLs are the same after the URL parser's normalisation. */
function sameUrl(a: unknown, b: unknown): boolean {
  try {
    return new URL(String(a)).toString() === new URL(String(b)).toString();
  } catch {
    return false;
  }
}
