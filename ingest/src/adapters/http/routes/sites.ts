// Site configuration: PUT /api/sites/{site} validates (every problem listed with its key
// path), stores and applies live; GET /api/sites/{site} returns the configuration in force
// (defaults for an unknown site); GET /api/sites lists configured sites and sites with events.
import type { AppContext } from '../../../app-context.js';
import { ConfigError, parseSiteConfig } from '../../../core/site-config-validate.js';
import type { SiteRegistry } from '../../../runtime/site-registry.js';
import { HttpError, jsonBody, type Router } from '../router.js';
import { redactSecrets, restoreMaskedSecrets } from '../../../core/config-secrets.js';
import { diffJson } from '../../../core/audit/diff.js';
import { resolvedUrlProblem } from '../../webhook/guarded-post.js';

const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function siteOf(params: Record<string, string>): string {
  const site = params['site'] ?? '';
  if (!SITE_RE.test(site))
    throw new HttpError(400, 'the site name must be 1 to 64 letters, digits, "_", "." or "-"');
  return site;
}

export function registerSiteRoutes(
  router: Router,
  ctx: Pick<AppContext, 'log' | 'config'>,
  registry: SiteRegistry,
): void {
  router.add('GET', '/api/sites', (req) => {
    // Only the sites the caller may see a board of.
    const all = registry.sites();
    const mine = req.access ? req.access.sites(all) : 'all';
    const shown = mine === 'all' ? all : all.filter((s) => mine.includes(s));
    return {
      status: 200,
      body: {
        sites: shown.map((site) => {
          const cfg = registry.config(site);
          return { site, timezone: cfg.timezone, configured: registry.isConfigured(site) };
        }),
      },
    };
  });

  router.add('GET', '/api/sites/:site', (req) => {
    const site = siteOf(req.params);
    return {
      status: 200,
      body: redactSecrets(registry.config(site)),
      headers: { 'X-Floorwatch-Configured': registry.isConfigured(site) ? '1' : '0' },
    };
  });

  router.add('GET', '/api/sites/:site/history', async (req) => {
    const site = siteOf(req.params);
    const rows = await registry.configHistory(site);
    return {
      status: 200,
      body: {
        site,
        versions: rows.map((r) => ({
          saved_at: new Date(r.saved_at).toISOString(),
          saved_by: r.saved_by,
          config: redactSecrets(JSON.parse(r.config) as unknown),
        })),
      },
    };
  });

  // The body is merged over the configuration in force: sections left out keep their value,
  // a section given (e.g. "queues") replaces that section.
  router.add('PUT', '/api/sites/:site', async (req) => {
    const site = siteOf(req.params);
    const body = restoreMaskedSecrets(jsonBody(req), registry.config(site));
    let cfg;
    try {
      cfg = parseSiteConfig(site, body, registry.config(site));
    } catch (e) {
      if (e instanceof ConfigError)
        return {
          status: 400,
          body: { error: `the configuration has ${e.errors.length} problem(s)`, errors: e.errors },
        };
      throw e;
    }
    // No server-side request forgery: a webhook may not point inside the network unless an
    // admin allowed the host; checked again on every delivery and redirect.
    const ssrf: string[] = [];
    for (const [i, r] of cfg.overflow_rules.entries()) {
      if (!r.webhook) continue;
      const why = await resolvedUrlProblem(r.webhook.url, ctx.config.webhook.allowHosts);
      if (why) ssrf.push(`overflow_rules[${i}].webhook.url ${why}`);
    }
    if (ssrf.length)
      return {
        status: 400,
        body: { error: `the configuration has ${ssrf.length} problem(s)`, errors: ssrf },
      };
    const before = registry.isConfigured(site) ? redactSecrets(registry.config(site)) : null;
    await registry.setConfig(site, cfg);
    ctx.log.info({ site }, 'site configuration saved');
    const after = redactSecrets(cfg);
    // Secrets are masked on both sides: a changed secret shows as a changed URL or nothing.
    return {
      status: 200,
      body: after,
      audit: [
        {
          site,
          action: 'site.config',
          target: site,
          detail: { changes: diffJson(before ?? {}, after) },
        },
      ],
    };
  });
}
