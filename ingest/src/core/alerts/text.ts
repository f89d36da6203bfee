// Plain words for alerts in both board languages (English, 中文): what happened and what
// the shift lead should do. Kept apart from the rule logic so wording never changes a number.
import type { OverflowRule } from '../site-config.js';
import type { AlertAction } from '../snapshot.js';

export const pct = (v: number | null): string => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

/** "45 s", "4 min", "2.5 h": the unit a shift lead reads fastest for that size. */
export function dur(s: number): string {
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 360) / 10} h`;
}

export function durZh(s: number): string {
  if (s < 120) return `${Math.round(s)} 秒`;
  if (s < 7200) return `${Math.round(s / 60)} 分钟`;
  return `${Math.round(s / 360) / 10} 小时`;
}

export interface ActionText {
  action: string;
  action_zh: string;
  action_detail: AlertAction;
}

export function ruleAction(rule: OverflowRule): ActionText {
  const a = rule.action;
  if (a.kind === 'overflow') {
    return {
      action: `Overflow queue ${rule.queue} to ${a.to}`,
      action_zh: `将队列 ${rule.queue} 溢出至 ${a.to}`,
      action_detail: { kind: 'overflow', queue: rule.queue, to: a.to },
    };
  }
  const into = a.into ?? null;
  return {
    action: `Merge groups ${a.groups.join(', ')} into ${into ?? 'one large group'}`,
    action_zh: `合大组：${a.groups.join('、')} 合并为${into ?? '一个大组'}`,
    action_detail: { kind: 'merge', queue: rule.queue, groups: [...a.groups], into },
  };
}

export function note(action: string, action_zh: string): ActionText {
  return { action, action_zh, action_detail: { kind: 'note', text: action } };
}
