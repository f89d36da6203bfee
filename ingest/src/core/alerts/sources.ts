// The alert sources beyond overflow rules: current-interval service level below target,
// agents out of adherence, attendance (出勤率) and login conformance (登陆吻合度) below
// standard, a silent site feed, and ghost agents. Each returns the candidates that hold now.
import { DateTime } from 'luxon';
import type { SiteView } from '../modules.js';
import type { AlertLevelName, AlertThresholds, SiteConfig } from '../site-config.js';
import type { Candidate } from './candidate.js';
import { activityZh, dur, durZh, note, pct, queueNames, stateZh, teamNames } from './text.js';

/** Clear-down of the non-rule sources when the site sets none: 60 s keeps a figure hovering at its standard from flapping. */
export const DEFAULT_CLEAR_DOWN_S = 60;

export const DEFAULT_LEVELS: Record<
  'adherence' | 'stale_feed' | 'ghost_agent' | 'webhook_failed',
  AlertLevelName
> = {
  adherence: 'yellow',
  // A silent feed blinds the whole board, so it is the most severe.
  stale_feed: 'red',
  ghost_agent: 'info',
  webhook_failed: 'orange',
};

/** Conformance early in the day swings on one late agent: judge only after an hour of scheduled time. */
export const DEFAULT_CONFORMANCE_MIN_SCHEDULED_S = 3600;

export function levelOf(a: AlertThresholds, kind: keyof typeof DEFAULT_LEVELS): AlertLevelName {
  return a.levels?.[kind] ?? DEFAULT_LEVELS[kind];
}

type Base = Omit<Candidate, 'kind' | 'key' | 'level' | 'message' | 'message_zh' | 'clear_reason'>;
const none: Base = {
  queue: null,
  agent: null,
  team: null,
  rule: null,
  action: null,
  action_zh: null,
  action_detail: null,
  hold_ms: 0,
  clear_ms: 0,
};

export function slBelowTarget(view: SiteView): Candidate[] {
  const t = view.config.alerts.sl_below_target;
  if (!t.enabled) return [];
  const clear_ms = (view.config.alerts.clear_down_s ?? DEFAULT_CLEAR_DOWN_S) * 1000;
  const out: Candidate[] = [];
  for (const q of view.queues) {
    const f = q.interval;
    // min_calls counts the calls the service level is judged on (its denominator).
    const calls =
      f.explain['service_level']?.denominator ?? f.answered + f.abandoned - f.short_abandoned;
    if (f.service_level === null || calls < t.min_calls || f.service_level >= q.target) continue;
    const within = f.explain['service_level']?.numerator ?? f.answered_within_threshold;
    const n = queueNames(view.config, q.queue);
    out.push({
      ...none,
      ...note(
        `Pull agents off break or open overflow for queue ${n.en}`,
        `安排小休座席返岗或为队列 ${n.zh} 开启溢出`,
      ),
      kind: 'sl_below_target',
      key: q.queue,
      level: t.level,
      queue: q.queue,
      message: `Queue ${n.en}: service level this interval ${pct(f.service_level)} is below target ${pct(q.target)} (${within} of ${calls} calls within ${q.threshold_s} s)`,
      message_zh: `队列 ${n.zh} 本时段服务水平 ${pct(f.service_level)} 低于目标 ${pct(q.target)}（${calls} 通中 ${within} 通在 ${q.threshold_s} 秒内接通）`,
      clear_ms,
      clear_reason: `service level back at or above target (or a new interval began) for ${clear_ms / 1000} s`,
    });
  }
  return out;
}

export function adherence(view: SiteView): Candidate[] {
  const limit = view.config.alerts.adherence_out_s;
  const level = levelOf(view.config.alerts, 'adherence');
  const out: Candidate[] = [];
  const isOut = (x: { adherence: string; out_of_adherence_s: number }): boolean =>
    x.adherence === 'out' && x.out_of_adherence_s >= limit;
  // Only the agents out long enough are built when the view can pick them.
  const agents = view.pickAgents ? view.pickAgents((p) => isOut(p.adherence())) : view.agents;
  for (const a of agents) {
    if (!isOut(a)) continue;
    const state = a.reason ? `${a.state} (${a.reason})` : a.state;
    const who = a.name && a.name !== a.agent ? `${a.name} (${a.agent})` : a.agent;
    const team = a.team ? teamNames(view.config, a.team).en : 'their team';
    out.push({
      ...none,
      ...note(`Contact ${who} or team lead of ${team}`, `联系座席 ${who} 或其班长`),
      kind: 'adherence',
      key: a.agent,
      level,
      agent: a.agent,
      team: a.team || null,
      message: `Agent ${who} out of adherence for ${dur(a.out_of_adherence_s)}: scheduled ${a.scheduled_activity ?? 'activity'}, state ${state}`,
      message_zh: `座席 ${who} 未遵守排班已 ${durZh(a.out_of_adherence_s)}：排班 ${activityZh(a.scheduled_activity)}，当前状态 ${stateZh(a.state, a.reason)}`,
      // The continuous-time threshold is the hold-down; back in adherence clears at once.
      clear_reason: 'agent back in adherence (or signed out of scope)',
    });
  }
  return out;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** True once the site's local clock has passed `check` within the operating day that starts at `dayStart`. */
export function pastCheckTime(
  now: number,
  cfg: Pick<SiteConfig, 'timezone' | 'day_start'>,
  check: string,
): boolean {
  const local = DateTime.fromMillis(now, { zone: cfg.timezone });
  const start = minutes(cfg.day_start);
  const sinceStart = (local.hour * 60 + local.minute - start + 1440) % 1440;
  return sinceStart >= (minutes(check) - start + 1440) % 1440;
}

export function attendance(view: SiteView): Candidate[] {
  const t = view.config.alerts.attendance;
  if (!pastCheckTime(view.now, view.config, t.check_time)) return [];
  const clear_ms = (view.config.alerts.clear_down_s ?? DEFAULT_CLEAR_DOWN_S) * 1000;
  const out: Candidate[] = [];
  let came = 0;
  let scheduled = 0;
  const missing: string[] = [];
  const make = (
    key: string,
    team: string | null,
    value: number,
    n: number,
    d: number,
    absent: string[],
  ): Candidate => {
    const names = team === null ? null : teamNames(view.config, team);
    const label = names === null ? 'Site' : `Team ${names.en}`;
    const labelZh = names === null ? '全中心' : `班组 ${names.zh}`;
    // Ten names fit one board line; the handover lists them all.
    const who =
      absent.slice(0, 10).join(', ') + (absent.length > 10 ? ` +${absent.length - 10}` : '');
    return {
      ...none,
      ...note(
        absent.length ? `Call the absent agents: ${who}` : 'Check who has not signed in',
        absent.length ? `联系缺勤座席：${who}` : '核查未签入座席',
      ),
      kind: 'attendance',
      key,
      level: t.level,
      team,
      message: `${label} attendance ${pct(value)} is below ${pct(t.below)} at the ${t.check_time} check (${n} of ${d} scheduled agents signed in)`,
      message_zh: `${labelZh}出勤率 ${pct(value)} 低于 ${pct(t.below)}（${t.check_time} 检查，应到 ${d} 人，实到 ${n} 人）`,
      clear_ms,
      clear_reason: `attendance back at or above ${pct(t.below)} (or a new day began) for ${clear_ms / 1000} s`,
    };
  };
  for (const team of view.teams) {
    const e = team.attendance_explain;
    came += e.numerator;
    scheduled += e.denominator;
    missing.push(...team.missing);
    if (team.attendance !== null && team.attendance < t.below)
      out.push(
        make(
          `team:${team.team}`,
          team.team,
          team.attendance,
          e.numerator,
          e.denominator,
          team.missing,
        ),
      );
  }
  // The centre figure is the ratio of the sums, not the mean of team percentages.
  if (scheduled > 0 && came / scheduled < t.below)
    out.push(make('site', null, came / scheduled, came, scheduled, missing));
  return out;
}

export function conformance(view: SiteView): Candidate[] {
  const t = view.config.alerts.conformance;
  const minScheduled = t.min_scheduled_s ?? DEFAULT_CONFORMANCE_MIN_SCHEDULED_S;
  const clear_ms = (view.config.alerts.clear_down_s ?? DEFAULT_CLEAR_DOWN_S) * 1000;
  const out: Candidate[] = [];
  for (const team of view.teams) {
    const e = team.conformance_explain;
    if (team.conformance === null || team.conformance >= t.below || e.denominator < minScheduled)
      continue;
    const n = teamNames(view.config, team.team);
    out.push({
      ...none,
      ...note(`Ask team lead of ${n.en} to check sign-ins`, `请班组 ${n.zh} 班长核查签入情况`),
      kind: 'conformance',
      key: team.team,
      level: t.level,
      team: team.team,
      message: `Team ${n.en} login conformance so far today ${pct(team.conformance)} is below ${pct(t.below)} (${dur(e.numerator)} logged in of ${dur(e.denominator)} scheduled)`,
      message_zh: `班组 ${n.zh} 今日登陆吻合度 ${pct(team.conformance)} 低于 ${pct(t.below)}（排班 ${durZh(e.denominator)}，签入 ${durZh(e.numerator)}）`,
      clear_ms,
      clear_reason: `login conformance back at or above ${pct(t.below)} for ${clear_ms / 1000} s`,
    });
  }
  return out;
}

export function staleFeed(view: SiteView): Candidate[] {
  const limit = view.config.alerts.stale_feed_s;
  // A site that never sent an event has no feed to go silent.
  if (view.lastEventAt === null) return [];
  const silent = (view.now - view.lastEventAt) / 1000;
  if (silent < limit) return [];
  // The text names the last event's time, not a duration: a message is fixed when the alert
  // is raised, and after a restart or a back-fill a duration read at raise time was wrong
  // ("23.7 h": measured from the first replayed event) and then kept ageing.
  const zone = view.config.timezone;
  const last = DateTime.fromMillis(view.lastEventAt, { zone });
  const sameDay = last.hasSame(DateTime.fromMillis(view.now, { zone }), 'day');
  const when = last.toFormat(sameDay ? 'HH:mm:ss' : 'yyyy-MM-dd HH:mm:ss');
  return [
    {
      ...none,
      ...note(
        'Check the telephony (ACD) feed to Floorwatch',
        '检查话务系统到 Floorwatch 的数据接口',
      ),
      kind: 'stale_feed',
      key: 'feed',
      level: levelOf(view.config.alerts, 'stale_feed'),
      message: `No events from site ${view.site} since ${when} (site time; alert after ${limit} s of silence): the board is not live`,
      message_zh: `站点 ${view.site} 自 ${when}（站点时间）起无事件上报（静默 ${limit} 秒预警），大屏数据未更新`,
      clear_reason: 'events arriving again',
    },
  ];
}

export function ghostAgents(view: SiteView): Candidate[] {
  const level = levelOf(view.config.alerts, 'ghost_agent');
  const out: Candidate[] = [];
  // A rostered agent with no session yet is never a ghost.
  const agents = view.pickAgents ? view.pickAgents((p) => p.stale(), false) : view.agents;
  for (const a of agents) {
    if (!a.stale || a.state === 'logged_out') continue;
    out.push({
      ...none,
      ...note(
        `Sign ${a.agent} out in the ACD if they have left`,
        `如座席 ${a.agent} 已离开，请在话务系统中强制签出`,
      ),
      kind: 'ghost_agent',
      key: a.agent,
      level,
      agent: a.agent,
      team: a.team || null,
      message: `Agent ${a.agent} is signed in with no event for over ${dur(view.config.alerts.ghost_agent_s)} (ghost session)`,
      message_zh: `座席 ${a.agent} 已签入但超过 ${durZh(view.config.alerts.ghost_agent_s)} 无任何事件（疑似幽灵座席）`,
      clear_reason: 'agent active again or signed out',
    });
  }
  return out;
}
