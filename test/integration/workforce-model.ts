// Test model for the workforce property tests: a seeded random roster with sign-in/out and
// state streams and excused time, and an independent computation of every figure by a
// sweep over elementary intervals (no shared code with the engine or the SQL).
import { DateTime } from 'luxon';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { seeded } from '../helpers/random.js';

export interface PlanSeg {
  agent: string;
  team: string;
  day: string;
  start: number;
  end: number;
  activity: string;
}
export interface PlanEvent {
  id: string;
  ts: number;
  site: string;
  type: 'agent.login' | 'agent.logout' | 'agent.state';
  agent: string;
  state?: string;
  reason?: string;
}
export interface Plan {
  site: string;
  segs: PlanSeg[];
  events: PlanEvent[];
  excused: { agent: string; start: string; end: string; reason: string; entered_by: string }[];
  excusedMs: { agent: string; start: number; end: number }[];
  rosterCsv: string;
  rosterRows: number;
  rosterRowsByDay: Record<string, number>;
}

const MIN = 60_000;

export function randomWorkforce(o: {
  seed: number;
  site: string;
  zone: string;
  agents: number;
  days: string[];
  now: number;
  dayStart?: string;
}): Plan {
  const r = seeded(o.seed);
  const int = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
  // Minutes after the operating day's start (the site's day_start, default local midnight).
  const local = (day: string, minutes: number) =>
    DateTime.fromISO(`${day}T${o.dayStart ?? '00:00'}`, { zone: o.zone })
      .plus({ minutes })
      .toMillis();
  const fmt = (ms: number) =>
    DateTime.fromMillis(ms, { zone: o.zone }).toFormat('yyyy-MM-dd HH:mm');
  const segs: PlanSeg[] = [];
  const events: PlanEvent[] = [];
  const excusedMs: Plan['excusedMs'] = [];
  let n = 0;
  for (let i = 0; i < o.agents; i++) {
    const agent = `a${String(i).padStart(2, '0')}`;
    const team = `T${(i % 3) + 1}`;
    const evs: PlanEvent[] = [];
    const ev = (ts: number, type: PlanEvent['type'], state?: string) => {
      const prev = evs[evs.length - 1];
      // Strictly increasing per agent, with random milliseconds so nothing ties.
      let t = ts + int(0, 59_999);
      if (prev && t <= prev.ts) t = prev.ts + int(1000, 5000);
      const [st, reason] = (state ?? '').split(':');
      evs.push({
        id: `${o.site}-${agent}-${n++}`,
        ts: t,
        site: o.site,
        type,
        agent,
        ...(state ? { state: st } : {}),
        ...(reason ? { reason } : {}),
      });
    };
    o.days.forEach((day, di) => {
      // Agent 0 works a night shift 22:00-06:00 on the first day and starts late the next day.
      const night = i === 0 && di === 0;
      const startMin = night
        ? 22 * 60
        : i === 0
          ? 14 * 60
          : [6, 7, 8, 9, 10, 12][int(0, 5)]! * 60 + int(0, 3) * 15;
      const lenMin = night ? 8 * 60 : [4, 6, 8, 9, 10][int(0, 4)]! * 60;
      const s0 = local(day, startMin);
      const e0 = local(day, startMin + lenMin);
      const parts: [number, number, string][] = [];
      let t = s0;
      const breakAt = local(day, startMin + Math.floor(lenMin / 3 / 15) * 15);
      const lunchAt =
        lenMin >= 8 * 60 ? local(day, startMin + Math.floor(lenMin / 2 / 15) * 15 + 30) : 0;
      const training = r() < 0.25 && lenMin >= 6 * 60 ? local(day, startMin + lenMin - 120) : 0;
      parts.push([t, breakAt, 'work']);
      parts.push([breakAt, breakAt + 15 * MIN, 'break']);
      t = breakAt + 15 * MIN;
      if (lunchAt) {
        parts.push([t, lunchAt, 'work']);
        parts.push([lunchAt, lunchAt + 60 * MIN, 'lunch']);
        t = lunchAt + 60 * MIN;
      }
      if (training) {
        parts.push([t, training, 'work']);
        parts.push([training, training + 60 * MIN, 'training']);
        t = training + 60 * MIN;
      }
      parts.push([t, e0, 'work']);
      for (const [a, b, activity] of parts)
        if (b > a) segs.push({ agent, team, day, start: a, end: b, activity });
      // Absent all day: at random, and always agent 1 on the last day so every run has someone missing.
      if (r() < 0.15 || (i === 1 && di === o.days.length - 1)) return;
      ev(s0 + int(-12, 8) * MIN, 'agent.login');
      ev(s0 + int(-2, 3) * MIN, 'agent.state', 'ready');
      let cur = s0 + 5 * MIN;
      const calls = (until: number) => {
        while (cur + 10 * MIN < until && r() < 0.8) {
          cur += int(2, 20) * MIN;
          if (cur >= until) break;
          ev(cur, 'agent.state', 'ringing');
          ev(cur + 20_000, 'agent.state', 'talking');
          ev(cur + int(2, 6) * MIN, 'agent.state', 'wrap_up');
          cur += 7 * MIN;
          ev(cur, 'agent.state', 'ready');
        }
      };
      calls(breakAt);
      ev(breakAt + int(-2, 2) * MIN, 'agent.state', 'not_ready:break');
      ev(breakAt + int(14, 19) * MIN, 'agent.state', 'ready');
      cur = breakAt + 20 * MIN;
      if (r() < 0.25) {
        // An outage: logged out by the system, a team lead records excused time around it.
        const down = cur + int(10, 40) * MIN;
        ev(down, 'agent.logout');
        ev(down + int(15, 45) * MIN, 'agent.login');
        ev(down + 46 * MIN, 'agent.state', 'ready');
        const xs = Math.floor((down - 5 * MIN) / MIN) * MIN;
        excusedMs.push({ agent, start: xs, end: xs + 35 * MIN });
        cur = down + 50 * MIN;
      }
      if (lunchAt) {
        calls(lunchAt);
        if (r() < 0.5) {
          ev(Math.max(cur, lunchAt + int(-3, 3) * MIN), 'agent.logout');
          ev(lunchAt + int(55, 65) * MIN, 'agent.login');
          ev(lunchAt + 66 * MIN, 'agent.state', 'ready');
        } else {
          ev(Math.max(cur, lunchAt), 'agent.state', 'not_ready:lunch');
          ev(lunchAt + 60 * MIN, 'agent.state', 'ready');
        }
        cur = lunchAt + 70 * MIN;
      }
      if (training) {
        if (r() < 0.6) ev(Math.max(cur, training), 'agent.state', 'not_ready:training');
        ev(training + 60 * MIN, 'agent.state', 'ready');
        cur = training + 61 * MIN;
      }
      calls(e0 - 10 * MIN);
      ev(Math.max(cur + MIN, e0 + int(-15, 10) * MIN), 'agent.logout');
    });
    events.push(...evs.filter((e) => e.ts < o.now));
  }
  // An agent rostered on six earlier days of the month and never signing in: flagged (> 5 days).
  const month = o.days[o.days.length - 1]!.slice(0, 7);
  for (let d = 1; d <= 6; d++) {
    const day = `${month}-0${d}`;
    segs.push({
      agent: 'zz-absent',
      team: 'T1',
      day,
      start: local(day, 9 * 60),
      end: local(day, 17 * 60),
      activity: 'work',
    });
  }
  const lines = segs.map((s) => `${s.agent},${s.team},${fmt(s.start)},${fmt(s.end)},${s.activity}`);
  const byDay: Record<string, number> = {};
  for (const s of segs) byDay[s.day] = (byDay[s.day] ?? 0) + 1;
  return {
    site: o.site,
    segs,
    events,
    excused: excusedMs.map((x) => ({
      agent: x.agent,
      start: DateTime.fromMillis(x.start, { zone: o.zone }).toISO() as string,
      end: fmt(x.end),
      reason: 'ACD outage',
      entered_by: 'lead-1',
    })),
    excusedMs,
    rosterCsv: `agent,team,start,end,activity\n${lines.join('\n')}\n`,
    rosterRows: segs.length,
    rosterRowsByDay: byDay,
  };
}

interface AgentDay {
  agent: string;
  team: string;
  day: string;
  scheduled_ms: number;
  logged_in_ms: number;
  excused_ms: number;
  late: boolean;
  early: boolean;
  scheduled: boolean;
  attended: boolean;
  adh_sched_ms: number;
  in_adh_ms: number;
}

/** Every figure by a sweep over the elementary intervals between all boundaries, clipped to now. */
export function independentFigures(plan: Plan, cfg: SiteConfig, now: number, reportDays: string[]) {
  const wf = cfg.workforce;
  const allowedIn = (activity: string, key: string): 'in' | 'out' | 'neutral' => {
    const m = wf.adherence[activity];
    if (!Array.isArray(m)) return 'neutral';
    if (m.includes(key)) return 'in';
    if (key.startsWith('not_ready:') && m.includes('not_ready')) return 'in';
    return 'out';
  };
  const out = new Map<string, AgentDay>();
  const agents = [...new Set(plan.segs.map((s) => s.agent))];
  for (const agent of agents) {
    const segs = plan.segs.filter((s) => s.agent === agent);
    const evs = plan.events
      .filter((e) => e.agent === agent)
      .sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    const exc = plan.excusedMs.filter((x) => x.agent === agent);
    const stateAt = (t: number): string => {
      let k = 'logged_out';
      for (const e of evs) {
        if (e.ts > t) break;
        k =
          e.type === 'agent.login'
            ? 'not_ready'
            : e.type === 'agent.logout'
              ? 'logged_out'
              : e.state === 'not_ready' && e.reason
                ? `not_ready:${e.reason}`
                : (e.state as string);
      }
      return k;
    };
    const pts = [
      ...new Set([
        ...segs.flatMap((s) => [s.start, s.end]),
        ...evs.map((e) => e.ts),
        ...exc.flatMap((x) => [x.start, x.end]),
        now,
      ]),
    ]
      .filter((t) => t <= now)
      .sort((a, b) => a - b);
    for (const s of segs) {
      const k = `${s.agent}|${s.day}`;
      if (!out.has(k))
        out.set(k, {
          agent,
          team: s.team,
          day: s.day,
          scheduled_ms: 0,
          logged_in_ms: 0,
          excused_ms: 0,
          late: false,
          early: false,
          scheduled: false,
          attended: false,
          adh_sched_ms: 0,
          in_adh_ms: 0,
        });
    }
    const rawLogged = new Map<string, number>();
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i] as number;
      const b = pts[i + 1] as number;
      const seg = segs.find((s) => s.start <= a && a < s.end);
      if (!seg) continue;
      const f = out.get(`${agent}|${seg.day}`) as AgentDay;
      const key = stateAt(a);
      const excused = exc.some((x) => x.start <= a && a < x.end);
      const work = wf.work_activities.includes(seg.activity);
      const len = b - a;
      if (work) {
        if (excused) f.excused_ms += len;
        else f.scheduled_ms += len;
        if (key !== 'logged_out') {
          rawLogged.set(seg.day, (rawLogged.get(seg.day) ?? 0) + len);
          if (!excused) f.logged_in_ms += len;
        }
      }
      const st = allowedIn(seg.activity, key);
      if (st !== 'neutral') {
        f.adh_sched_ms += len;
        if (st === 'in') f.in_adh_ms += len;
      }
    }
    for (const f of out.values()) {
      if (f.agent !== agent) continue;
      const work = segs.filter((s) => s.day === f.day && wf.work_activities.includes(s.activity));
      if (work.length === 0) continue;
      const s0 = Math.min(...work.map((s) => s.start));
      const e0 = Math.max(...work.map((s) => s.end));
      f.scheduled = s0 < now;
      f.attended = (rawLogged.get(f.day) ?? 0) > 0;
      if (!f.scheduled) continue;
      const w0 = s0 - wf.sign_in_early_s * 1000;
      const w1 = e0 + wf.sign_out_late_s * 1000;
      const inW = pts.some((t, i) => {
        const b = pts[i + 1];
        return b !== undefined && t < w1 && b > w0 && stateAt(Math.max(t, w0)) !== 'logged_out';
      });
      if (!inW) continue;
      f.late = stateAt(w0) === 'logged_out';
      f.early = stateAt(Math.min(w1, now) - 1) === 'logged_out';
    }
  }
  const allDays = [...out.values()];
  const agentDays = allDays
    .filter((f) => reportDays.includes(f.day))
    .sort((x, y) => (x.day + x.agent < y.day + y.agent ? -1 : 1));
  const group = <T>(
    by: 'agent' | 'team' | 'site',
    init: () => T,
    add: (acc: T, f: AgentDay) => void,
  ) => {
    const m = new Map<string, T & { day: string; key: string }>();
    for (const f of agentDays) {
      const key = by === 'agent' ? f.agent : by === 'team' ? f.team : plan.site;
      const k = `${f.day}|${key}`;
      if (!m.has(k)) m.set(k, { ...init(), day: f.day, key });
      add(m.get(k) as T, f);
    }
    return [...m.values()].sort((x, y) =>
      x.day < y.day ? -1 : x.day > y.day ? 1 : x.key < y.key ? -1 : x.key > y.key ? 1 : 0,
    );
  };
  return {
    agentDays,
    groups: (by: 'team' | 'site') =>
      group(
        by,
        () => ({ scheduled_ms: 0, logged_in_ms: 0, excused_ms: 0, late: 0, early: 0 }),
        (a, f) => {
          a.scheduled_ms += f.scheduled_ms;
          a.logged_in_ms += f.logged_in_ms;
          a.excused_ms += f.excused_ms;
          a.late += f.late ? 1 : 0;
          a.early += f.early ? 1 : 0;
        },
      ),
    adherence: (by: 'agent' | 'team' | 'site') =>
      group(
        by,
        () => ({ sched_ms: 0, in_ms: 0 }),
        (a, f) => {
          a.sched_ms += f.adh_sched_ms;
          a.in_ms += f.in_adh_ms;
        },
      ),
    attendance: (by: 'team' | 'site') =>
      group(
        by,
        () => ({ scheduled: 0, attended: 0, missing: [] as string[] }),
        (a, f) => {
          if (!f.scheduled) return;
          a.scheduled++;
          if (f.attended) a.attended++;
          else a.missing.push(f.agent);
        },
      ).map((g) => ({ ...g, missing: g.missing.sort() })),
    absences: (month: string) => {
      const m = new Map<string, string[]>();
      for (const f of allDays)
        if (f.day.startsWith(month) && f.scheduled && !f.attended)
          m.set(f.agent, [...(m.get(f.agent) ?? []), f.day]);
      return [...m.entries()]
        .map(([agent, days]) => ({ agent, days: days.sort() }))
        .sort((x, y) => y.days.length - x.days.length || (x.agent < y.agent ? -1 : 1));
    },
  };
}
