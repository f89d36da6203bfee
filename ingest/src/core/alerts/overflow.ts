// Overflow rules (人工来电溢出规则): a pure check of one rule's conditions against the live
// queue at one instant. Hold-down and clear-down (hysteresis) are applied by the engine.
import type { SiteView } from '../modules.js';
import type { OverflowRule, SiteConfig } from '../site-config.js';
import type { QueueLive } from '../snapshot.js';
import type { Candidate } from './candidate.js';
import { durZh, pct, queueNames, ruleAction } from './text.js';

export interface ConditionResult {
  name: 'waiting_gte' | 'longest_wait_gte_s' | 'rolling_sl_lt' | 'waiting_no_ready';
  holds: boolean;
  en: string;
  zh: string;
}

/** Every condition the rule sets, each with whether it holds now and its words. */
export function checkConditions(
  rule: OverflowRule,
  view: Pick<SiteView, 'queues' | 'rollingServiceLevel'>,
): ConditionResult[] {
  // A queue with no live entry has no calls waiting: none of the load conditions can hold.
  const q: Pick<QueueLive, 'waiting' | 'longest_wait_s' | 'ready_agents'> = view.queues.find(
    (x) => x.queue === rule.queue,
  ) ?? {
    waiting: 0,
    longest_wait_s: 0,
    ready_agents: 0,
  };
  const c = rule.conditions;
  const out: ConditionResult[] = [];
  if (c.waiting_gte !== undefined) {
    out.push({
      name: 'waiting_gte',
      holds: q.waiting >= c.waiting_gte,
      en: `${q.waiting} calls waiting (alert at ≥ ${c.waiting_gte})`,
      zh: `排队 ${q.waiting} 通（≥ ${c.waiting_gte} 预警）`,
    });
  }
  if (c.longest_wait_gte_s !== undefined) {
    out.push({
      name: 'longest_wait_gte_s',
      holds: q.waiting > 0 && q.longest_wait_s >= c.longest_wait_gte_s,
      en: `longest wait ${Math.round(q.longest_wait_s)} s (alert at ≥ ${c.longest_wait_gte_s} s)`,
      zh: `最长等待 ${durZh(q.longest_wait_s)}（≥ ${c.longest_wait_gte_s} 秒预警）`,
    });
  }
  if (c.rolling_sl_lt !== undefined) {
    const { window_min, below } = c.rolling_sl_lt;
    const sl = view.rollingServiceLevel(rule.queue, window_min * 60_000);
    // No calls in the window means no service level to judge: the condition does not hold.
    const counts =
      sl.value === null ? 'no calls' : `${sl.explain.numerator} of ${sl.explain.denominator}`;
    out.push({
      name: 'rolling_sl_lt',
      holds: sl.value !== null && sl.value < below,
      en: `service level over the last ${window_min} min ${pct(sl.value)} (${counts}; alert below ${pct(below)})`,
      zh: `近 ${window_min} 分钟服务水平 ${pct(sl.value)}（低于 ${pct(below)} 预警）`,
    });
  }
  if (c.waiting_no_ready) {
    out.push({
      name: 'waiting_no_ready',
      holds: q.waiting > 0 && q.ready_agents === 0,
      en: `${q.waiting} waiting with ${q.ready_agents} agents ready`,
      zh: `排队 ${q.waiting} 通，空闲座席 ${q.ready_agents} 人`,
    });
  }
  return out;
}

export function ruleHolds(rule: OverflowRule, results: readonly ConditionResult[]): boolean {
  if (results.length === 0) return false;
  return rule.mode === 'all' ? results.every((r) => r.holds) : results.some((r) => r.holds);
}

/** The candidate of a rule whose conditions hold now, or null. */
export function overflowCandidate(
  rule: OverflowRule,
  view: Pick<SiteView, 'queues' | 'rollingServiceLevel'> & { config?: SiteConfig },
): Candidate | null {
  const results = checkConditions(rule, view);
  if (!ruleHolds(rule, results)) return null;
  const shown = results.filter((r) => r.holds);
  const act = ruleAction(rule, view.config);
  const q = queueNames(view.config, rule.queue);
  return {
    kind: 'overflow',
    key: rule.id,
    level: rule.level,
    queue: rule.queue,
    agent: null,
    team: null,
    rule: rule.id,
    message: `Queue ${q.en} overloaded: ${shown.map((r) => r.en).join('; ')}`,
    message_zh: `队列 ${q.zh} 来电积压：${shown.map((r) => r.zh).join('；')}`,
    ...act,
    hold_ms: rule.hold_down_s * 1000,
    clear_ms: rule.clear_down_s * 1000,
    clear_reason: `conditions of rule ${rule.id} false for ${rule.clear_down_s} s (clear-down)`,
  };
}
