// The current site's queue and team names in the chosen language, for any tile:
// names.queue('billing') → "账务" on a zh page. The page that loads the site configuration
// sets it (the live board and history both do); until then ids show. Agents show by the
// name they logged in with, once a snapshot has been read.
import type { SiteConfig } from '../../../ingest/src/core/site-config.js';
import { i18n } from './i18n.svelte.js';
import { categoryLabel, queueLabel, teamLabel } from './labels.js';

let current = $state.raw<SiteConfig | null>(null);
/** Agent id → the name it logged in with, as the live board knows it. */
let agentNames = $state.raw<ReadonlyMap<string, string>>(new Map());

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
  /** Agent names from the live snapshot (login names); ids without a name keep showing the id. */
  setAgents(agents: readonly { agent: string; name: string }[]): void {
    agentNames = new Map(agents.filter((a) => a.name).map((a) => [a.agent, a.name]));
  },
  agent(agent: string): string {
    return agentNames.get(agent) ?? agent;
  },
  /** A work-order category (quality.categories). */
  category(category: string): string {
    return categoryLabel(current, category, i18n.locale);
  },
};
