// The shift lead's cockpit on the board (issue 24): the staffing strip and the what-if
// panel's API calls, row shapes and their words in both languages. Kept apart from the
// board's own dictionaries so the cockpit can grow without touching theirs.
import type { Locale } from './format.js';
import { withCsrf } from './api.js';

export interface StaffingRowView {
  queue: string;
  interval_start: string;
  forecast_calls: number;
  actual_calls: number | null;
  aht_s: number | null;
  required: number | null;
  staffed: number | null;
  gap: number | null;
  model: 'erlang_c' | 'erlang_a' | null;
  predicted_sl: number | null;
  source: 'uploaded' | 'history' | 'none';
}

export interface StaffingView {
  site: string;
  interval_minutes: number;
  forecast: { label: string; label_zh: string; factor: Record<string, number> };
  rows: StaffingRowView[];
}

export interface Spread {
  mean: number | null;
  sd: number | null;
  p10: number | null;
  p90: number | null;
  n: number;
}

export interface Predicted {
  sl: number;
  asa_s: number | null;
  abandon: number;
}

export interface WhatIfView {
  intervals: {
    interval_start: string;
    queues: {
      queue: string;
      calls: number;
      agents: number;
      before: Predicted | null;
      formula: Predicted;
      simulated: { sl: Spread; asa_s: Spread; abandon: Spread } | null;
    }[];
  }[];
}

export type WhatIfKind = 'merge' | 'overflow' | 'breaks' | 'agents';

export interface BreakRequestView {
  id: string;
  agent: string;
  team: string;
  reason: string;
  status: 'pending' | 'granted' | 'deferred' | 'refused' | 'started' | 'cancelled';
  requested_at: string;
  decided_by: string | null;
}

export interface WorkStateView {
  not_ready: {
    agent: string;
    team: string;
    reason: string | null;
    elapsed_s: number;
    limit: number | 'rostered' | null;
    over_s: number;
    over: boolean;
  }[];
  caps: {
    key: string;
    name: string;
    kind: 'team' | 'group';
    on_break: number;
    granted_waiting: number;
    cap: number;
    signed_in: number;
  }[];
  requests: BreakRequestView[];
}

export function loadWorkState(site: string): Promise<WorkStateView> {
  return call(`/api/sites/${encodeURIComponent(site)}/work-state`);
}

/** A lead's decision, recorded under the name given on this screen (the signed-in user once identities exist). */
export function decideBreak(
  site: string,
  id: string,
  decision: 'grant' | 'defer' | 'refuse',
  by: string,
): Promise<unknown> {
  return call(
    `/api/sites/${encodeURIComponent(site)}/break-requests/${encodeURIComponent(id)}/decision`,
    {
      method: 'POST',
      // The name goes in the body: a header may carry only Latin-1, and leads' names are Chinese.
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ decision, by }),
    },
  );
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, withCsrf(init));
  const text = await res.text();
  if (!res.ok) {
    let msg = text;
    try {
      msg = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      /* plain text */
    }
    throw new Error(`${res.status} ${msg}`);
  }
  return JSON.parse(text) as T;
}

export function loadStaffing(site: string, hours = 2): Promise<StaffingView> {
  return call(`/api/sites/${encodeURIComponent(site)}/staffing?hours=${hours}`);
}

export function askWhatIf(site: string, body: Record<string, unknown>): Promise<WhatIfView> {
  return call(`/api/sites/${encodeURIComponent(site)}/what-if`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Gap colour: enough, one or two short, or more than two short. */
export function gapClass(gap: number | null): 'unknown' | 'ok' | 'short' | 'critical' {
  if (gap === null) return 'unknown';
  if (gap >= 0) return 'ok';
  return gap >= -2 ? 'short' : 'critical';
}

const WORDS = {
  en: {
    staffing: 'Staffing, next 2 hours',
    forecast: 'Forecast calls',
    required: 'Required',
    staffed: 'Staffed',
    gap: 'Gap',
    no_forecast:
      'No forecast yet: it needs the same weekday in the previous weeks, or an uploaded forecast.',
    whatif: 'What if…',
    merge: 'Merge two queues (合大组) for the next hour',
    overflow: 'Overflow A to B when calls waiting ≥ N',
    breaks: 'Grant N more breaks now',
    agents: 'Add N agents',
    queue_a: 'Queue A',
    queue_b: 'Queue B',
    n: 'N',
    ask: 'Ask',
    asking: 'Working it out… (formula, then a simulation)',
    interval: 'Interval',
    queue: 'Queue',
    sl_before: 'SL now',
    sl_formula: 'SL (formula)',
    sl_sim: 'SL (simulation, p10–p90)',
    asa: 'ASA (formula)',
    abandon: 'Abandon (formula)',
    model_note:
      'Formula: Erlang C, or Erlang A with the queue’s patience. Simulation: seeded replications of the validated simulator.',
    work_state: 'Breaks and work states',
    on_break: 'On break',
    over_limit: 'Over the limit',
    requests: 'Break requests',
    grant: 'Grant',
    defer: 'Defer',
    refuse: 'Refuse',
    lead_name: 'Your name (team lead)',
    none: 'None',
    status_pending: 'pending',
    status_granted: 'granted',
    status_deferred: 'deferred',
    status_refused: 'refused',
    status_started: 'started',
    status_cancelled: 'cancelled',
    by_rule: 'rule',
  },
  'zh-CN': {
    staffing: '未来 2 小时人力',
    forecast: '预测来电',
    required: '需求人数',
    staffed: '在岗人数',
    gap: '缺口',
    no_forecast: '暂无预测：需要前几周同一工作日的数据，或上传预测。',
    whatif: '情景推演',
    merge: '未来一小时合大组（合并两个队列）',
    overflow: '排队数 ≥ N 时由 A 溢出至 B',
    breaks: '现在再批准 N 人小休',
    agents: '增加 N 名座席',
    queue_a: '第一个队列',
    queue_b: '第二个队列',
    n: '数量',
    ask: '推演',
    asking: '计算中…（先公式，后仿真）',
    interval: '时段',
    queue: '队列',
    sl_before: '当前服务水平',
    sl_formula: '服务水平（公式）',
    sl_sim: '服务水平（仿真，10%–90% 分位）',
    asa: '平均应答速度（公式）',
    abandon: '放弃率（公式）',
    model_note:
      '公式：爱尔兰 C 排队公式，已知耐心时用爱尔兰 A 公式。仿真：经验证的仿真器多次种子重复运行。',
    work_state: '工作状态管理',
    on_break: '小休人数',
    over_limit: '超时',
    requests: '小休申请',
    grant: '批准',
    defer: '暂缓',
    refuse: '拒绝',
    lead_name: '您的姓名（班长）',
    none: '无',
    status_pending: '待批',
    status_granted: '已批准',
    status_deferred: '暂缓',
    status_refused: '已拒绝',
    status_started: '已开始',
    status_cancelled: '已取消',
    by_rule: '规则',
  },
} as const;

export type CockpitWord = keyof (typeof WORDS)['en'];

export function cw(locale: Locale, key: CockpitWord): string {
  return WORDS[locale][key];
}
