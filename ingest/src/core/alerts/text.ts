// Plain words for alerts in both board languages (English, 中文): what happened and what
// the shift lead should do. Kept apart from the rule logic so wording never changes a number.
import type { OverflowRule, SiteConfig } from '../site-config.js';
import type { AlertAction } from '../snapshot.js';

export const pct = (v: number | null): string =>
  v === null ? '—' : `${Math.round(v * 1000) / 10}%`;

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

/** Names for a shift lead: the configured labels, else the id. */
export interface Names {
  en: string;
  zh: string;
}

export function queueNames(cfg: Pick<SiteConfig, 'queues'> | undefined, queue: string): Names {
  const q = cfg?.queues[queue];
  return { en: q?.label ?? queue, zh: q?.label_zh ?? q?.label ?? queue };
}

export function teamNames(cfg: Pick<SiteConfig, 'teams'> | undefined, team: string): Names {
  const t = cfg?.teams?.[team];
  return { en: t?.label ?? team, zh: t?.label_zh ?? t?.label ?? team };
}

/** Agent states, not-ready reasons and roster activities in Chinese (the glossary's words); free text stays as sent. */
const STATE_ZH: Record<string, string> = {
  ready: '空闲',
  not_ready: '未就绪',
  ringing: '振铃',
  talking: '通话',
  hold: '保持',
  wrap_up: '事后处理',
  outbound: '外呼',
  logged_out: '已签出',
};
const REASON_ZH: Record<string, string> = {
  break: '小休',
  lunch: '用餐',
  training: '培训',
  meeting: '会议',
  coaching: '辅导',
  system: '系统',
};
const ACTIVITY_ZH: Record<string, string> = {
  work: '工作',
  break: '小休',
  lunch: '用餐',
  training: '培训',
  meeting: '会议',
  coaching: '辅导',
  off: '休息',
};

export function stateZh(state: string, reason: string | null): string {
  const s = STATE_ZH[state] ?? state;
  return reason ? `${s}（${REASON_ZH[reason] ?? reason}）` : s;
}

export function activityZh(activity: string | null): string {
  return activity === null ? '—' : (ACTIVITY_ZH[activity] ?? activity);
}

export interface ActionText {
  action: string;
  action_zh: string;
  action_detail: AlertAction;
}

export function ruleAction(rule: OverflowRule, cfg?: Pick<SiteConfig, 'queues'>): ActionText {
  const a = rule.action;
  const q = queueNames(cfg, rule.queue);
  if (a.kind === 'overflow') {
    const to = queueNames(cfg, a.to);
    return {
      action: `Overflow queue ${q.en} to ${to.en}`,
      action_zh: `将队列 ${q.zh} 溢出至 ${to.zh}`,
      action_detail: { kind: 'overflow', queue: rule.queue, to: a.to },
    };
  }
  const into = a.into ?? null;
  return {
    action: `Merge groups ${a.groups.map((g) => queueNames(cfg, g).en).join(', ')} into ${into === null ? 'one large group' : queueNames(cfg, into).en}`,
    action_zh: `合大组：${a.groups.map((g) => queueNames(cfg, g).zh).join('、')} 合并为${into === null ? '一个大组' : queueNames(cfg, into).zh}`,
    action_detail: { kind: 'merge', queue: rule.queue, groups: [...a.groups], into },
  };
}

export function note(action: string, action_zh: string): ActionText {
  return { action, action_zh, action_detail: { kind: 'note', text: action } };
}
