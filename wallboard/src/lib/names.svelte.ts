// The current site's queue and team names in the chosen language, for any tile:
// names.queue('billing') → "账务" on a zh page. The page that loads the site configuration
// sets it (the live board and history both do); until then ids show.
import type { SiteConfig } from '../../../ingest/src/core/site-config.js';
import { i18n } from './i18n.svelte.js';
import { categoryLabel, queueLabel, teamLabel } from './labels.js';

let current = $state.raw<SiteConfig | null>(null);

export const names = {
  set(cfg: SiteConfig | null): void {
    current = cfg;
  },
  queue(queue: string): string {
    return queueLabel(current, queue, i18n.locale);
  },
  team(team: string): string {
    return team ? teamLabel(current, team, i18n.locale) : team;
  },
  /** A work-order category (quality.categories). */
  category(category: string): string {
    return categoryLabel(current, category, i18n.locale);
  },
};
