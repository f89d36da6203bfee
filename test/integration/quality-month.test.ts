// A simulated month of a small site through the real server: GET /api/reports/quality (SQL
// over the stored events) must equal an independent computation over the simulator's events,
// written here from the definitions (docs/definitions.md, "Service quality"), by site, team and
// category; and today's live figures on /api/live must equal the same report for today.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTs } from '../../ingest/src/core/event-timestamps.js';
import { DEFAULT_DOW, DEFAULT_PROFILE } from '../../simulator/distributions/profile.js';
import type { SimEvent } from '../../simulator/generator/emitter.js';
import { Engine } from '../../simulator/generator/engine.js';
import { SiteClock } from '../../simulator/generator/site-clock.js';
import {
  DEFAULT_CALL,
  DEFAULT_QUEUES,
  DEFAULT_RATES,
  DEFAULT_SHIFTS,
  siteScenario,
} from '../../simulator/scenarios/site.js';
import { api, postEvents, startServer, waitFor, type TestServer } from '../helpers/server.js';
import { zoneAtHour } from '../helpers/zone.js';

const SITE = 'qmonth';
// A fixed-offset zone where it is 15:00 now: today has a morning of calls and surveys to
// compare, whatever the hour CI runs at (a fixed Asia/Shanghai had none from 16:00 UTC).
const site = zoneAtHour(Date.now(), 15);
const ZONE = site.zone;
const H = 3_600_000;
const DAY = 24 * H;
const clock = new SiteClock(ZONE);
const today = clock.date(Date.now());
const firstDay = clock.addDays(today, -30);
const from = clock.midnight(firstDay);
// Up to a few minutes ago: the newest events are today's, so the live engine has a today to show.
const to = Date.now() - 5 * 60_000;
const cfg = siteScenario({
  site: SITE,
  timezone: ZONE,
  seed: 'quality-month',
  from,
  to,
  agents: 15,
  teamSize: 5,
  queues: DEFAULT_QUEUES,
  callsPerHour: null,
  call: DEFAULT_CALL,
  profile: DEFAULT_PROFILE,
  dow: DEFAULT_DOW,
  profileShiftMs: 0,
  shifts: DEFAULT_SHIFTS,
  workforce: DEFAULT_RATES,
  overflow: [],
  tsFormat: 'iso',
});
const events: SimEvent[] = [];
new Engine(cfg, (ev) => events.push(ev)).runUntil(Infinity);

// ---- the independent computation, from the definitions ----

type Ev = Record<string, unknown> & { type: string; ts: number };
const evs: Ev[] = events.map(
  (e) => ({ ...(e as unknown as Record<string, unknown>), ts: parseTs(e.ts) }) as Ev,
);
const { dayOf, weekday } = site; // the zone has no DST: local time is ts + a fixed offset

function limitDue(created: number, cls: string, vip: boolean): number {
  const working = (n: number) => {
    let t = created;
    for (let left = n; left > 0;) {
      t += DAY;
      const d = weekday(t);
      if (d !== 0 && d !== 6) left--;
    }
    return t;
  };
  // Each class rule is as specific as the VIP rule, so a VIP order takes the shorter of the two.
  const byClass =
    cls === 'urgent' ? created + 4 * H : cls === 'hard' ? working(3) : created + 24 * H;
  return vip ? Math.min(byClass, created + 12 * H) : byClass;
}

interface Counts {
  closed: number;
  closed_on_time: number;
  followed_up: number;
  complaints: number;
  repeat_complaints: number;
  surveys: number;
  satisfied: number;
  scored: number;
  score_sum: number;
  calls: number;
  resolved_first: number;
}
const zero = (): Counts => ({
  closed: 0,
  closed_on_time: 0,
  followed_up: 0,
  complaints: 0,
  repeat_complaints: 0,
  surveys: 0,
  satisfied: 0,
  scored: 0,
  score_sum: 0,
  calls: 0,
  resolved_first: 0,
});

function expected(by: 'site' | 'team' | 'category', now: number): Map<string, Counts> {
  const team = new Map<string, string>();
  for (const e of evs)
    if (e.type === 'agent.login' && e.team) team.set(e.agent as string, e.team as string);
  const out = new Map<string, Counts>();
  const at = (ms: number, key: string) => {
    const k = `${dayOf(ms)}|${key}`;
    if (!out.has(k)) out.set(k, zero());
    return out.get(k)!;
  };
  const tickets = new Map<string, Ev[]>();
  for (const e of evs)
    if (e.type.startsWith('ticket.') && e.ts <= now)
      tickets.set(e.ticket as string, [...(tickets.get(e.ticket as string) ?? []), e]);
  const complaintsOf = new Map<string, number[]>();
  for (const list of tickets.values()) {
    const c = list.find((e) => e.type === 'ticket.created');
    if (c?.caller)
      complaintsOf.set(c.caller as string, [...(complaintsOf.get(c.caller as string) ?? []), c.ts]);
  }
  for (const list of tickets.values()) {
    const c = list.find((e) => e.type === 'ticket.created');
    if (!c) continue;
    const key =
      by === 'site'
        ? SITE
        : by === 'team'
          ? (team.get(c.agent as string) ?? '')
          : (c.category as string);
    const base = limitDue(c.ts, c.class as string, c.customer_class === 'vip');
    const point = c.ts + 0.8 * (base - c.ts);
    let due = base;
    let lastAsk = -Infinity;
    for (const x of list)
      if (x.type === 'ticket.extension_requested' && x.ts <= point && x.ts >= lastAsk)
        [lastAsk, due] = [x.ts, x.due as number];
    const closed = list.find((e) => e.type === 'ticket.closed');
    if (closed && closed.ts >= from && closed.ts < to) {
      const r = at(closed.ts, key);
      r.closed++;
      if (closed.ts <= due) r.closed_on_time++;
      if (list.some((e) => e.type === 'ticket.followed_up')) r.followed_up++;
    }
    if (c.caller && c.ts >= from && c.ts < to) {
      const r = at(c.ts, key);
      r.complaints++;
      if (
        (complaintsOf.get(c.caller as string) ?? []).some((t) => t >= c.ts - 30 * DAY && t < c.ts)
      )
        r.repeat_complaints++;
    }
  }
  if (by === 'category') return out;
  for (const e of evs) {
    if (e.type !== 'call.survey' || e.ts > now) continue;
    const r = at(e.ts, by === 'site' ? SITE : (team.get(e.agent as string) ?? ''));
    r.surveys++;
    if (typeof e.satisfied === 'boolean' ? e.satisfied : (e.score as number) >= 4) r.satisfied++;
    if (typeof e.score === 'number') {
      r.scored++;
      r.score_sum += e.score;
    }
  }
  const offers = evs.filter((e) => e.type === 'call.offered' && e.caller && e.ts <= now);
  const answeredBy = new Map<string, string>();
  for (const e of evs)
    if (e.type === 'call.answered' && !answeredBy.has(e.call as string))
      answeredBy.set(e.call as string, e.agent as string);
  const offersOf = new Map<string, Ev[]>();
  for (const e of offers)
    offersOf.set(e.caller as string, [...(offersOf.get(e.caller as string) ?? []), e]);
  for (const e of offers) {
    const again = offersOf
      .get(e.caller as string)!
      .some((o) => o.ts > e.ts && o.ts <= Math.min(e.ts + 7 * DAY, now));
    const r = at(
      e.ts,
      by === 'site' ? SITE : (team.get(answeredBy.get(e.call as string) ?? '') ?? ''),
    );
    r.calls++;
    if (!again) r.resolved_first++;
  }
  return out;
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  const put = await api(server, `/api/sites/${SITE}`, {
    method: 'PUT',
    body: JSON.stringify({ timezone: ZONE }),
    headers: { 'Content-Type': 'application/json' },
  });
  expect(put.status).toBe(200);
  for (let i = 0; i < events.length; i += 5000) {
    const r = await postEvents(server, events.slice(i, i + 5000));
    expect(r.body.rejected).toEqual([]);
  }
}, 240_000);
afterAll(async () => {
  await server?.dispose();
});

type Row = Counts & {
  date: string;
  key: string;
  satisfaction: number | null;
  fcr: number | null;
  on_time_rate: number | null;
  repeat_rate: number | null;
  mean_score: number | null;
};

async function report(by: string, fromDay: string, toDay: string): Promise<Row[]> {
  const res = await api(
    server,
    `/api/reports/quality?site=${SITE}&from=${fromDay}&to=${toDay}&by=${by}`,
  );
  if (res.status !== 200) await new Promise((r) => setTimeout(r, 500));
  if (res.status !== 200)
    throw new Error(`${res.status} ${await res.text()}\n${server.logs.slice(-3).join('\n')}`);
  return ((await res.json()) as { rows: Row[] }).rows;
}

const countsOf = (rows: Row[]) =>
  Object.fromEntries(
    rows.map((r) => [
      `${r.date}|${r.key}`,
      {
        closed: r.closed,
        closed_on_time: r.closed_on_time,
        followed_up: r.followed_up,
        complaints: r.complaints,
        repeat_complaints: r.repeat_complaints,
        surveys: r.surveys,
        satisfied: r.satisfied,
        scored: r.scored,
        score_sum: r.score_sum,
        calls: r.calls,
        resolved_first: r.resolved_first,
      },
    ]),
  );

describe('service-quality figures over a simulated month', () => {
  it("the simulation is realistic: thousands of surveys, hundreds of orders, figures near the seeds' targets", () => {
    const n = (t: string) => evs.filter((e) => e.type === t).length;
    expect(n('call.survey')).toBeGreaterThan(1000);
    expect(n('ticket.created')).toBeGreaterThan(100);
    expect(n('ticket.extension_requested')).toBeGreaterThan(0);
  });

  it.each(['site', 'team', 'category'] as const)(
    'SQL report by %s equals the independent computation',
    async (by) => {
      const rows = await report(by, firstDay, clock.addDays(today, 1));
      const want = expected(by, Date.now());
      expect(rows.length).toBeGreaterThan(25);
      expect(countsOf(rows)).toEqual(Object.fromEntries(want));
      if (by === 'site') {
        const sum = (k: keyof Counts) => rows.reduce((s, r) => s + r[k], 0);
        // Realistic levels: satisfaction ~88%, FCR near the 85% target, most orders on time.
        expect(sum('satisfied') / sum('surveys')).toBeGreaterThan(0.8);
        expect(sum('resolved_first') / sum('calls')).toBeGreaterThan(0.7);
        expect(sum('closed_on_time') / sum('closed')).toBeGreaterThan(0.7);
        expect(sum('closed_on_time')).toBeLessThan(sum('closed'));
        expect(sum('repeat_complaints')).toBeGreaterThan(0);
        const r = rows.find((x) => x.surveys > 0)!;
        expect(r.satisfaction).toBeCloseTo(r.satisfied / r.surveys, 12);
        expect(r.mean_score).toBeCloseTo(r.score_sum / r.scored, 12);
      }
    },
  );

  it("today's live figures equal the SQL report for today", async () => {
    const live = await waitFor(async () => {
      const s = (await (await api(server, `/api/live?site=${SITE}`)).json()) as {
        quality?: {
          today: Record<string, { explain: { numerator: number; denominator: number } }>;
        };
      };
      return s.quality;
    });
    const [row] = await report('site', today, clock.addDays(today, 1));
    expect(row).toBeDefined();
    const pair = (k: string) => [
      live.today[k]!.explain.numerator,
      live.today[k]!.explain.denominator,
    ];
    expect({
      on_time: pair('on_time'),
      follow_up: pair('follow_up'),
      repeat: pair('repeat'),
      satisfaction: pair('satisfaction'),
      fcr: pair('fcr'),
    }).toEqual({
      on_time: [row!.closed_on_time, row!.closed],
      follow_up: [row!.followed_up, row!.closed],
      repeat: [row!.repeat_complaints, row!.complaints],
      satisfaction: [row!.satisfied, row!.surveys],
      fcr: [row!.resolved_first, row!.calls],
    });
    expect(row!.surveys).toBeGreaterThan(0);
  });

  it('exports the rows as CSV', async () => {
    const res = await api(
      server,
      `/api/reports/quality?site=${SITE}&from=${firstDay}&to=${clock.addDays(today, 1)}&by=site&format=csv`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    // A UTF-8 byte-order mark first, so Excel on Chinese Windows reads the file as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      'date,key,closed,closed_on_time,on_time_rate,followed_up,follow_up_rate,complaints,repeat_complaints,repeat_rate,surveys,satisfied,satisfaction,scored,score_sum,mean_score,calls,resolved_first,fcr',
    );
    expect(text.split('\r\n').length).toBeGreaterThan(25);
  });
});
