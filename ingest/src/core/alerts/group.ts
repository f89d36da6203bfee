// Noise control at scale: the board feed carries one grouped alert per kind once a site has
// `alerts.group_at` (default 5) active per-agent or per-team alerts of that kind, instead of
// one card each. A 20,000-agent site had 6,286 adherence alerts at once: 6,286 cards, and a
// snapshot of several MB. Each member stays a real alert (history, webhooks, GET /api/alerts
// with kind=…, acknowledgement); the group lists where to find them and can be acknowledged
// as a whole (routes/alerts.ts).
import type { AlertLevelName, SiteConfig } from '../site-config.js';
import type { AlertView } from '../snapshot.js';
import { levelRank } from './config.js';

export const DEFAULT_GROUP_AT = 5;

/** The id of the group of `kind` at `site`: "site:group:kind" (no alert id has that form). */
export const groupId = (site: string, kind: string): string => `${site}:group:${kind}`;

/** Parses a group id back into its site and kind, or null. */
export function parseGroupId(id: string): { site: string; kind: string } | null {
  const m = /^([^:]+):group:([a-z_]{1,64})$/.exec(id);
  return m ? { site: m[1] as string, kind: m[2] as string } : null;
}

const TEXT: Record<string, { en: string; zh: string }> = {
  adherence: { en: '{n} agents out of adherence', zh: '{n} 名座席未遵从排班' },
  ghost_agent: {
    en: '{n} agents signed in with no events (ghost sessions)',
    zh: '{n} 名座席已签入但长时间无事件（疑似幽灵座席）',
  },
  conformance: { en: '{n} teams below login conformance', zh: '{n} 个班组登陆吻合度未达标' },
  attendance: { en: '{n} teams below attendance', zh: '{n} 个班组出勤率未达标' },
  break_overrun: { en: '{n} agents over their not-ready limit', zh: '{n} 名座席小休超时' },
};

/** Alerts about one agent or one team (not a queue's): the kinds that multiply with the floor. */
const groupable = (a: AlertView): boolean =>
  a.agent !== null || (a.team !== null && a.queue === null);

function groupOf(site: string, kind: string, members: AlertView[]): AlertView {
  const n = members.length;
  const first = members[0] as AlertView;
  const t = TEXT[kind];
  const message = t
    ? t.en.replace('{n}', String(n))
    : `${n} alerts of one kind, such as: ${first.message}`;
  const message_zh = t
    ? t.zh.replace('{n}', String(n))
    : `${n} 条同类预警，例如：${first.message_zh ?? first.message}`;
  let level: AlertLevelName = first.level;
  let raised = first.raised_at;
  let unacked = 0;
  let lastAck: AlertView | null = null;
  const teams = new Set<string | null>();
  for (const m of members) {
    if (levelRank(m.level) > levelRank(level)) level = m.level;
    if (Date.parse(m.raised_at) < Date.parse(raised)) raised = m.raised_at;
    if (m.acked_at === null) unacked++;
    else if (!lastAck || Date.parse(m.acked_at) > Date.parse(lastAck.acked_at as string))
      lastAck = m;
    teams.add(m.team);
  }
  const all = unacked === 0 && lastAck !== null;
  return {
    id: groupId(site, kind),
    site,
    kind,
    level,
    queue: null,
    agent: null,
    team: teams.size === 1 ? first.team : null,
    raised_at: raised,
    acked_at: all ? (lastAck as AlertView).acked_at : null,
    acked_by: all ? (lastAck as AlertView).acked_by : null,
    ack_note: null,
    cleared_at: null,
    clear_reason: null,
    message,
    message_zh,
    action: null,
    action_zh: null,
    group: {
      count: n,
      unacked,
      members: `/api/alerts?site=${encodeURIComponent(site)}&state=active&kind=${encodeURIComponent(kind)}`,
    },
  };
}

/**
 * The active alerts as the board shows them: per-agent and per-team alerts of a kind with at
 * least `group_at` members become one grouped alert; the rest pass unchanged. Ordered by
 * raise time (a group at its earliest member's), then id.
 */
export function groupAlerts(
  site: string,
  cfg: SiteConfig,
  active: readonly AlertView[],
): AlertView[] {
  const at = cfg.alerts.group_at ?? DEFAULT_GROUP_AT;
  const byKind = new Map<string, AlertView[]>();
  for (const a of active) {
    if (!groupable(a)) continue;
    const list = byKind.get(a.kind);
    if (list) list.push(a);
    else byKind.set(a.kind, [a]);
  }
  const grouped = new Set<string>();
  const out: AlertView[] = [];
  for (const [kind, members] of byKind)
    if (members.length >= at) {
      grouped.add(kind);
      out.push(groupOf(site, kind, members));
    }
  if (grouped.size === 0) return [...active];
  for (const a of active) if (!(groupable(a) && grouped.has(a.kind))) out.push(a);
  return out.sort(
    (a, b) => Date.parse(a.raised_at) - Date.parse(b.raised_at) || (a.id < b.id ? -1 : 1),
  );
}
