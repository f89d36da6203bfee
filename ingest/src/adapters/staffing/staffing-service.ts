// Gathers what intraday staffing needs for one site and day, then hands it to the pure
// forecast and plan (core/staffing): the same weekday's intervals over the previous N
// weeks and today's so far (the interval report's SQL, the figures history shows), the
// uploaded forecast, each queue's patience from history, and who is signed in or rostered.
import { intervalsReport } from '../../../../queries/index.js';
import { queuePatience, uploadedForecast } from '../../../../queries/staffing.js';
import type { AppContext } from '../../app-context.js';
import { DEFAULT_STAFFING } from '../../core/staffing/config.js';
import { forecastDay, type Forecast, type QueueSeries } from '../../core/staffing/forecast.js';
import { patienceEstimate, planStaffing, type StaffingRow } from '../../core/staffing/plan.js';
import { queueConfig, type SiteConfig } from '../../core/site-config.js';
import { dayStartMs, nextDay, operatingDay } from '../../core/workforce/index.js';

export interface StaffingDay {
  site: string;
  day: string;
  dayStart: number;
  slotMs: number;
  nowOffset: number;
  forecast: Forecast;
  rows: StaffingRow[];
  /** Queue (or "group:NAME") -> member queues. */
  members: Record<string, string[]>;
}

const DAY_MS = 86_400_000;

function shiftDay(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Interval rows of one operating day as a series keyed by offset from the day's start. */
async function daySeries(
  ctx: AppContext,
  site: string,
  cfg: SiteConfig,
  day: string,
  interval: 15 | 30 | 60,
  now: number,
  until?: number,
): Promise<QueueSeries> {
  const start = dayStartMs(day, cfg.timezone, cfg.day_start);
  const end = Math.min(until ?? Infinity, dayStartMs(nextDay(day), cfg.timezone, cfg.day_start));
  const out: QueueSeries = new Map();
  if (end <= start) return out;
  const rows = await intervalsReport(ctx.store, {
    site,
    from: start,
    to: end,
    interval,
    config: cfg,
    now,
  });
  for (const r of rows) {
    let m = out.get(r.queue);
    if (!m) out.set(r.queue, (m = new Map()));
    m.set(r.interval_start_ms - start, { calls: r.offered, ahtS: r.aht_s });
  }
  return out;
}

/** Adds group series: the member queues' calls summed and AHT weighted by calls. */
function withGroups(series: QueueSeries, groups: Record<string, string[]>): QueueSeries {
  const out: QueueSeries = new Map(series);
  for (const [name, qs] of Object.entries(groups)) {
    const g = new Map<number, { calls: number; handle: number; withAht: number }>();
    for (const q of qs) {
      for (const [slot, c] of series.get(q) ?? []) {
        const x = g.get(slot) ?? { calls: 0, handle: 0, withAht: 0 };
        x.calls += c.calls;
        if (c.ahtS !== null) {
          x.handle += c.ahtS * c.calls;
          x.withAht += c.calls;
        }
        g.set(slot, x);
      }
    }
    out.set(
      `group:${name}`,
      new Map(
        [...g].map(([slot, x]) => [
          slot,
          { calls: x.calls, ahtS: x.withAht > 0 ? x.handle / x.withAht : null },
        ]),
      ),
    );
  }
  return out;
}

export interface StaffingOptions {
  interval?: 15 | 30 | 60;
  now?: number;
  /** Extra queue groups for this answer only (a what-if merge): name -> queues. */
  groups?: Record<string, string[]>;
}

export async function staffingDay(
  ctx: AppContext,
  site: string,
  opts: StaffingOptions = {},
): Promise<StaffingDay> {
  const cfg = ctx.sites.config(site);
  const base = cfg.staffing ?? DEFAULT_STAFFING;
  const scfg = opts.groups ? { ...base, groups: { ...base.groups, ...opts.groups } } : base;
  const interval = opts.interval ?? cfg.interval_minutes;
  const slotMs = interval * 60_000;
  const now = opts.now ?? ctx.now();
  const day = operatingDay(now, cfg.timezone, cfg.day_start);
  const dayStart = dayStartMs(day, cfg.timezone, cfg.day_start);
  const dayEnd = dayStartMs(nextDay(day), cfg.timezone, cfg.day_start);
  const slots: number[] = [];
  for (let t = 0; dayStart + t < dayEnd; t += slotMs) slots.push(t);

  const weeks: QueueSeries[] = [];
  for (let k = 1; k <= scfg.forecast_weeks; k++) {
    const s = await daySeries(ctx, site, cfg, shiftDay(day, -7 * k), interval, now);
    if (s.size > 0) weeks.push(withGroups(s, scfg.groups));
  }
  const today = withGroups(
    await daySeries(ctx, site, cfg, day, interval, now, now + 1),
    scfg.groups,
  );
  const uploaded: QueueSeries = new Map();
  for (const r of await uploadedForecast(ctx.store, site, dayStart, dayEnd)) {
    let m = uploaded.get(r.queue);
    if (!m) uploaded.set(r.queue, (m = new Map()));
    m.set(r.start - dayStart, { calls: r.calls, ahtS: r.aht_s });
  }
  const members: Record<string, string[]> = {};
  for (const s of [...weeks, today, uploaded])
    for (const q of s.keys()) if (!q.startsWith('group:')) members[q] = [q];
  for (const q of Object.keys(cfg.queues)) members[q] = [q];
  for (const [name, qs] of Object.entries(scfg.groups)) members[`group:${name}`] = qs;
  const queues = Object.keys(members).sort();

  const forecast = forecastDay({
    queues,
    slots,
    slotMs,
    weeks,
    today,
    nowOffset: now - dayStart,
    uploaded: withGroups(uploaded, scfg.groups),
  });

  // Patience: total wait / abandons over the forecast's weeks; a group's from its members' sums.
  const patience = new Map<string, number | null>();
  if (typeof scfg.patience === 'number') for (const q of queues) patience.set(q, scfg.patience);
  else if (scfg.patience === 'history') {
    const hist = await queuePatience(
      ctx.store,
      site,
      dayStart - scfg.forecast_weeks * 7 * DAY_MS,
      dayStart,
    );
    const by = new Map(hist.map((h) => [h.queue, h]));
    for (const q of queues) {
      let wait = 0;
      let ab = 0;
      for (const m of members[q] ?? []) {
        wait += by.get(m)?.wait_s ?? 0;
        ab += by.get(m)?.abandons ?? 0;
      }
      patience.set(q, patienceEstimate(wait, ab));
    }
  }

  // Who works each queue: signed in and skilled now; rostered to work and skilled later.
  const ws = ctx.sites.workState?.(site);
  const wf = ctx.sites.workforce(site);
  const skills = new Map<string, readonly string[]>();
  const signedIn = new Set<string>();
  for (const a of ws?.agents() ?? []) {
    skills.set(a.agent, a.queues);
    if (a.loggedIn) signedIn.add(a.agent);
  }
  const rostered = new Set<string>([
    ...skills.keys(),
    ...(wf?.rosteredAgents(now).map((x) => x.agent) ?? []),
  ]);
  const work = new Set(cfg.workforce.work_activities);
  const skilled = (agent: string, q: string) =>
    (members[q] ?? []).some((m) => skills.get(agent)?.includes(m));
  const nowOffset = now - dayStart;
  const staffed = (q: string, slot: number): number | null => {
    if (slot + slotMs <= nowOffset) return null;
    if (slot <= nowOffset) return [...signedIn].filter((a) => skilled(a, q)).length;
    const mid = dayStart + slot + slotMs / 2;
    let n = 0;
    for (const a of rostered) {
      if (!skilled(a, q)) continue;
      if (
        (wf?.segments?.(a) ?? []).some((s) => s.start <= mid && mid < s.end && work.has(s.activity))
      )
        n++;
    }
    return n;
  };
  const targetOf = (q: string) => {
    const qc = queueConfig(cfg, (members[q] ?? [q])[0] ?? q);
    return { thresholdS: qc.threshold_s, target: qc.target };
  };
  const rows = planStaffing({
    cells: forecast.cells,
    slotMs,
    target: targetOf,
    patience: (q) => patience.get(q) ?? null,
    staffed,
    fallbackAhtS: 180,
  });
  return { site, day, dayStart, slotMs, nowOffset, forecast, rows, members };
}
