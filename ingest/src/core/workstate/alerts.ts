// The work-state alert sources: an agent past the longest allowed time in a not-ready
// reason (with the time over), and a team or queue group with more agents on break than
// its cap. Both are raised at the instant the condition starts and cleared at the event
// that ends it (no hold-down, no clear-down: the limits are already the allowance).
import type { Candidate } from '../alerts/candidate.js';
import { dur, durZh, note } from '../alerts/text.js';
import type { SiteView } from '../modules.js';
import { DEFAULT_WORK_STATE } from './config.js';

const none = { queue: null, agent: null, team: null, rule: null, hold_ms: 0, clear_ms: 0 } as const;

export function workStateCandidates(view: SiteView): Candidate[] {
  const ws = view.workState;
  if (!ws) return [];
  const cfg = view.config.work_state ?? DEFAULT_WORK_STATE;
  const out: Candidate[] = [];
  for (const o of ws.overruns(view.now)) {
    out.push({
      ...none,
      ...note(
        `Ask ${o.agent} to return from ${o.reason}, or tell their team lead`,
        `请座席 ${o.agent} 结束${o.reason}返岗，或通知其班长`,
      ),
      kind: 'break_overrun',
      key: o.agent,
      level: cfg.overrun_level,
      agent: o.agent,
      team: o.team || null,
      message: `Agent ${o.agent} over the ${o.reason} limit by ${dur(o.over_s)} (limit ${dur(o.limit_s)}, in ${o.reason} since ${new Date(o.since).toISOString()})`,
      message_zh: `座席 ${o.agent} ${o.reason} 超时 ${durZh(o.over_s)}（上限 ${durZh(o.limit_s)}）`,
      clear_reason: `agent left ${o.reason}`,
    });
  }
  for (const c of ws.caps(view.now)) {
    if (c.on_break <= c.cap) continue;
    const label = c.kind === 'team' ? `Team ${c.name}` : `Queue group ${c.name}`;
    const labelZh = c.kind === 'team' ? `班组 ${c.name}` : `队列组 ${c.name}`;
    out.push({
      ...none,
      ...note(
        `Call agents of ${c.name} back from break until at most ${c.cap} are out`,
        `召回${labelZh}小休座席，至多 ${c.cap} 人同时小休`,
      ),
      kind: 'break_cap',
      key: c.key,
      level: cfg.cap_level,
      team: c.kind === 'team' ? c.name : null,
      message: `${label}: ${c.on_break} agents on break, cap ${c.cap} (${c.signed_in} signed in)`,
      message_zh: `${labelZh}：${c.on_break} 人同时小休，上限 ${c.cap} 人（签入 ${c.signed_in} 人）`,
      clear_reason: `on break back at or under the cap`,
    });
  }
  return out;
}
