// Display names of queues and teams in the board's language, from the site configuration's
// `label` / `label_zh` (ids only when a site configured none): a floor reads "账务", not "billing".
import type { SiteConfig } from '../../../ingest/src/core/site-config.js';
import type { Locale } from './format.js';

type Labelled = { label?: string; label_zh?: string } | undefined;

function pick(l: Labelled, id: string, locale: Locale): string {
  if (locale === 'zh-CN') return l?.label_zh ?? l?.label ?? id;
  return l?.label ?? id;
}

export function queueLabel(cfg: SiteConfig | null, queue: string, locale: Locale): string {
  return pick(cfg?.queues?.[queue], queue, locale);
}

export function teamLabel(cfg: SiteConfig | null, team: string, locale: Locale): string {
  return pick(cfg?.teams?.[team], team, locale);
}

export function categoryLabel(cfg: SiteConfig | null, category: string, locale: Locale): string {
  return pick(cfg?.quality?.categories?.[category], category, locale);
}
