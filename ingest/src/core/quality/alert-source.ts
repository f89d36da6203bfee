// Service-quality warnings as alert candidates for the site's alert engine: work-order timers
// (not signed in 15 min, 80% of the limit without a reply, extension asked after 80%,
// overdue), the complaint-volume watch, incidents (预警 by users affected) and bulletins not
// out by their deadline. Each source can be switched off or re-levelled per site
// (quality.sources). A candidate holds only while its condition does, so it clears at once
// when the order is signed, replied or closed, or the incident resolved.
import type { Candidate } from '../alerts/candidate.js';
import { dur, durZh } from '../alerts/text.js';
import { isoZ } from '../queue/time-buckets.js';
import type { SiteConfig } from '../site-config.js';
import type { QualityConfig } from './config.js';
import type { QualityEngine } from './engine.js';
import type { TicketWarning } from './tickets.js';

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

const WORDS = {
  ticket_unsigned: {
    en: (t: string, c: string, s: number) =>
      `Work order ${t} (${c}) not signed and dispatched within ${dur(s)} of creation`,
    zh: (t: string, c: string, s: number) => `工单 ${t}（${c}）创建后 ${durZh(s)} 内未签单派单`,
    act: ['Sign the order and dispatch it to the handling department', '立即签单并转派处理部门'],
    clear: 'order signed and dispatched, or closed',
  },
  ticket_reply_due: {
    en: (t: string, c: string) =>
      `Work order ${t} (${c}): 80% of its time limit passed without a reply to the service centre`,
    zh: (t: string, c: string) => `工单 ${t}（${c}）处理时限已达80%，处理部门仍未回复客服中心`,
    act: [
      'Chase the handling department for a reply or an extension',
      '督促处理部门回复或申请延时',
    ],
    clear: 'order replied or closed',
  },
  ticket_late_extension: {
    en: (t: string, c: string) =>
      `Work order ${t} (${c}): extension requested after 80% of the time limit (too late, the due time stands)`,
    zh: (t: string, c: string) =>
      `工单 ${t}（${c}）在处理时限80%之后才申请延时（逾期申请，时限不变）`,
    act: ['Escalate to the handling department lead', '上报处理部门负责人'],
    clear: 'order closed',
  },
  ticket_overdue: {
    en: (t: string, c: string) => `Work order ${t} (${c}) is past its time limit`,
    zh: (t: string, c: string) => `工单 ${t}（${c}）已超过处理时限`,
    act: ['Escalate the overdue order and call the customer back', '超时工单升级处理并回复客户'],
    clear: 'order closed',
  },
} as const;

/** A category's display names from quality.categories, else its id. */
function categoryNames(
  q: { categories?: Record<string, { label?: string; label_zh?: string }> },
  c: string,
) {
  const l = q.categories?.[c];
  return { en: l?.label ?? c, zh: l?.label_zh ?? l?.label ?? c };
}

/** Site-local "2026-12-07 11:36": a shift lead reads a clock time, not an ISO offset. */
const localMinute = (t: number, zone: string): string =>
  isoZ(t, zone).slice(0, 16).replace('T', ' ');

/**
 * The work-order candidates made from one warnings list: the engine returns the same list
 * while no order changed, and the alert engine evaluates 4 times a second on a busy site.
 */
const ticketCandidatesMade = new WeakMap<
  readonly TicketWarning[],
  { q: QualityConfig; zone: string; list: readonly Candidate[] }
>();

function ticketCandidates(engine: QualityEngine, zone: string, now: number): readonly Candidate[] {
  const q = engine.config;
  const warnings = engine.warnings(now);
  const made = ticketCandidatesMade.get(warnings);
  if (made && made.q === q && made.zone === zone) return made.list;
  const out: Candidate[] = [];
  for (const w of warnings) {
    const src = q.sources[w.kind];
    if (!src.enabled) continue;
    const t = w.ticket;
    const words = WORDS[w.kind];
    const limitText = w.kind === 'ticket_unsigned' ? q.sign_within_s : 0;
    const cat = categoryNames(q, t.category);
    const since = localMinute(w.since, zone);
    out.push({
      ...none,
      kind: w.kind,
      key: t.ticket,
      level: src.level,
      team: null,
      message: `${words.en(t.ticket, cat.en, limitText)} (since ${since})`,
      message_zh: `${words.zh(t.ticket, cat.zh, limitText)}（自 ${since}）`,
      action: words.act[0],
      action_zh: words.act[1],
      action_detail: { kind: 'note', text: words.act[0] },
      clear_reason: words.clear,
    });
  }
  ticketCandidatesMade.set(warnings, { q, zone, list: out });
  return out;
}

export function qualityCandidates(
  engine: QualityEngine,
  cfg: SiteConfig,
  now: number,
): Candidate[] {
  const q = engine.config;
  const zone = cfg.timezone;
  const out: Candidate[] = [...ticketCandidates(engine, zone, now)];
  const vol = q.sources.complaint_volume;
  if (vol.enabled) {
    for (const s of engine.spikes(now)) {
      out.push({
        ...none,
        kind: 'complaint_volume',
        key: `${s.category}:${s.interval_start}`,
        level: q.volume_watch.level,
        message: `Complaints about ${categoryNames(q, s.category).en}: ${s.count} this interval, above the usual ${s.mean.toFixed(1)} + ${q.volume_watch.k}·σ (${s.threshold.toFixed(1)}; same interval of the last ${s.baseline.length} weeks: ${s.baseline.join(', ')})`,
        message_zh: `${categoryNames(q, s.category).zh} 类投诉本时段 ${s.count} 件，超过以往同期均值 ${s.mean.toFixed(1)} + ${q.volume_watch.k}σ（${s.threshold.toFixed(1)}；前 ${s.baseline.length} 周同时段：${s.baseline.join('、')}），可能存在故障`,
        action: 'Check for a fault behind the complaints and publish a bulletin',
        action_zh: '排查投诉背后的故障并发布资讯',
        action_detail: {
          kind: 'note',
          text: 'Check for a fault behind the complaints and publish a bulletin',
        },
        clear_reason: 'the interval ended or complaints fell back',
      });
    }
  }
  const bul = q.sources.bulletin_due;
  for (const i of engine.listIncidents()) {
    if (i.resolved_at !== null || i.start > now + 48 * 3_600_000) continue;
    const users = i.users_affected.toLocaleString('en-US');
    const svc = i.services.join(', ') || '—';
    out.push({
      ...none,
      kind: 'incident',
      key: i.id,
      level: i.level,
      message: `Incident${i.title ? ` "${i.title}"` : ''}: ${users} users affected (${svc}), ${i.kind === 'planned' ? 'planned work from' : 'since'} ${isoZ(i.start, zone)}`,
      message_zh: `故障预警${i.title ? `「${i.title}」` : ''}：${users} 位用户受影响（${i.services.join('、') || '—'}），${i.kind === 'planned' ? '计划作业开始于' : '发生于'} ${isoZ(i.start, zone)}`,
      action: 'Brief the agents with the bulletin',
      action_zh: '向座席发布资讯口径',
      action_detail: { kind: 'note', text: 'Brief the agents with the bulletin' },
      clear_reason: 'incident resolved',
    });
    if (bul.enabled && i.bulletin_at === null && now >= i.bulletin_due) {
      out.push({
        ...none,
        kind: 'bulletin_due',
        key: i.id,
        level: bul.level,
        message: `No bulletin yet for incident ${i.title || i.id}: it was due by ${isoZ(i.bulletin_due, zone)} (${i.kind === 'sudden' ? `within ${q.bulletin.sudden_h} h of the fault` : `${q.bulletin.planned_h} h before planned work`})`,
        message_zh: `故障「${i.title || i.id}」尚未发布资讯，应于 ${isoZ(i.bulletin_due, zone)} 前发布（${i.kind === 'sudden' ? `突发故障 ${q.bulletin.sudden_h} 小时内` : `计划作业提前 ${q.bulletin.planned_h} 小时`}）`,
        action: 'Publish the bulletin to the agents',
        action_zh: '立即发布资讯',
        action_detail: { kind: 'note', text: 'Publish the bulletin to the agents' },
        clear_reason: 'bulletin published or incident resolved',
      });
    }
  }
  return out;
}
