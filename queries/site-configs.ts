// Site configurations in ClickHouse (table site_configs, migration 0040): every saved
// version is kept; the newest row per site is the one in force after a restart.
import { latestSiteConfigs, siteConfigHistory } from './runtime.js';
import { chTime } from './sql.js';
import { defaultSiteConfig, type SiteConfig } from '../ingest/src/core/site-config.js';
import { parseSiteConfig } from '../ingest/src/core/site-config-validate.js';
import type { Store } from './store.js';

export class SiteConfigStoreError extends Error {
  readonly code = 'site_config_store';
}

export interface LoadedConfigs {
  configs: Map<string, SiteConfig>;
  /** Sites whose stored row could not be read back as a configuration, with the reason. */
  problems: { site: string; error: string }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A stored configuration was valid when saved. It is read back over today's defaults, so a
 * key added to SiteConfig since then gets its default; sections are merged one level deep.
 */
export function reviveSiteConfig(site: string, stored: unknown): SiteConfig {
  if (!isObj(stored))
    throw new SiteConfigStoreError(`stored configuration of ${site} is not an object`);
  try {
    return parseSiteConfig(site, stored);
  } catch {
    // A section validator may not be registered in this process (or got stricter): keep
    // what was accepted when it was saved rather than dropping the site's configuration.
    const base = defaultSiteConfig(site) as unknown as Obj;
    const out: Obj = { ...base };
    for (const [k, v] of Object.entries(stored)) {
      const b = base[k];
      out[k] = isObj(b) && isObj(v) && k !== 'queues' ? { ...b, ...v } : v;
    }
    out['site'] = site;
    return out as unknown as SiteConfig;
  }
}

export class SiteConfigStore {
  /** saved_at must grow per site so argMax picks the newest even for two saves in one ms. */
  private lastSavedAt = 0;

  constructor(private readonly store: Store) {}

  async loadAll(): Promise<LoadedConfigs> {
    const configs = new Map<string, SiteConfig>();
    const problems: { site: string; error: string }[] = [];
    for (const row of await latestSiteConfigs(this.store)) {
      try {
        configs.set(row.site, reviveSiteConfig(row.site, JSON.parse(row.config)));
      } catch (e) {
        problems.push({ site: row.site, error: (e as Error).message });
      }
      if (row.saved_at > this.lastSavedAt) this.lastSavedAt = row.saved_at;
    }
    return { configs, problems };
  }

  async save(cfg: SiteConfig, now: number, savedBy = ''): Promise<number> {
    const savedAt = Math.max(now, this.lastSavedAt + 1);
    this.lastSavedAt = savedAt;
    const row = JSON.stringify({
      site: cfg.site,
      saved_at: chTime(savedAt),
      saved_by: savedBy.slice(0, 128),
      config: JSON.stringify(cfg),
    });
    try {
      await this.store.insertNdjson('site_configs', Buffer.from(row + '\n'));
    } catch (e) {
      throw new SiteConfigStoreError(
        `saving the configuration of ${cfg.site} failed: ${(e as Error).message}`,
        { cause: e },
      );
    }
    return savedAt;
  }

  history(
    site: string,
    limit?: number,
  ): Promise<{ saved_at: number; saved_by: string; config: string }[]> {
    return siteConfigHistory(this.store, site, limit);
  }
}
