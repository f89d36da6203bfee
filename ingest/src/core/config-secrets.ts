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
    overflow_rules: rules.map((r: { webhook?: { secret?: unknown } }) => (r?.webhook ? { ...r, webhook: { ...r.webhook, secret: SECRET_MASK } } : r)),
  };
}

/** A copy of a PUT body where each masked secret is replaced by the stored one of the same rule id. */
export function restoreMaskedSecrets(body: unknown, current: SiteConfig): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const rules = (body as { overflow_rules?: unknown }).overflow_rules;
  if (!Array.isArray(rules)) return body;
  const stored = new Map(current.overflow_rules.map((r) => [r.id, r.webhook?.secret]));
  return {
    ...body,
    overflow_rules: rules.map((r: { id?: unknown; webhook?: { secret?: unknown } }) => {
      if (r?.webhook?.secret !== SECRET_MASK || typeof r.id !== 'string') return r;
      const secret = stored.get(r.id);
      return secret ? { ...r, webhook: { ...r.webhook, secret } } : r;
    }),
  };
}
