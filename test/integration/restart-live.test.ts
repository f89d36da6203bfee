// A restart mid-day rebuilds the live state from today's stored events: GET /api/live shows
// the same queue figures (interval and today) and agent states before and after, and
// GET /api/live/intervals the same rows.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSnapshot, QueueFigures } from '../../ingest/src/core/snapshot.js';
import { api, postEvents, startServer, waitFor, type TestServer } from '../helpers/server.js';
import { zoneAtHour } from '../helpers/zone.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
});

const SITE = 'RESTART1';
// Picked at run time so that it is about noon there: the test compares the board before and
// after the restart, and a local midnight in between would roll the day under it.
const ZONE = zoneAtHour(Date.now(), 12).zone;

/** The count and ratio fields of the interval report (occupancy moves with the clock). */
const FIELDS: (keyof QueueFigures)[] = [
  'offered',
  'answered',
  'answered_within_threshold',
  'abandoned',
  'short_abandoned',
  'service_level',
  'asa_s',
  'aht_s',
  'answer_rate',
];
const pickFigures = (f: QueueFigures) => Object.fromEntries(FIELDS.map((k) => [k, f[k]]));

function stable(s: LiveSnapshot) {
  return {
    operating_day: s.operating_day,
    interval_start: s.interval_start,
    timezone: s.timezone,
    last_event_at: s.last_event_at,
    queues: s.queues.map((q) => ({
      queue: q.queue,
      waiting: q.waiting,
      ready_agents: q.ready_agents,
      agents_by_state: q.agents_by_state,
      interval: pickFigures(q.interval),
      today: pickFigures(q.today),
    })),
    agents: s.agents
      .map((a) => ({
        agent: a.agent,
        name: a.name,
        team: a.team,
        state: a.state,
        reason: a.reason,
        since: a.since,
        current_call: a.current_call,
        calls_today: a.calls_today,
      }))
      .sort((a, b) => a.agent.localeCompare(b.agent)),
  };
}

async function live(srv: TestServer): Promise<LiveSnapshot> {
  return (await (await api(srv, `/api/live?site=${SITE}`)).json()) as LiveSnapshot;
}
async function intervals(srv: TestServer): Promise<unknown> {
  return (await (await api(srv, `/api/live/intervals?site=${SITE}`)).json()) as unknown;
}

describe('restart rebuild', () => {
  it('shows the same live figures after a restart mid-day', async () => {
    const put = await api(server, `/api/sites/${SITE}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ timezone: ZONE, queues: { sales: { threshold_s: 15, target: 0.9 } } }),
    });
    expect(put.status).toBe(200);

    // Events over the last 20 minutes, but never before today's start in the site's zone,
    // so the whole story belongs to the operating day the restart replays.
    const now = Date.now();
    const dayStart = DateTime.fromMillis(now, { zone: ZONE }).startOf('day').toMillis();
    const t0 = Math.max(now - 20 * 60_000, dayStart + 1000);
    const span = now - 5000 - t0;
    const at = (f: number) => Math.round(t0 + f * span);
    let n = 0;
    const e = (f: number, body: Record<string, unknown>) => ({
      id: `rs-${++n}`,
      ts: at(f),
      site: SITE,
      ...body,
    });
    const events = [
      e(0, { type: 'agent.login', agent: 'a1', name: 'Li', team: 'east', queues: ['sales'] }),
      e(0, {
        type: 'agent.login',
        agent: 'a2',
        name: 'Wang',
        team: 'east',
        queues: ['sales', 'support'],
      }),
      e(0, { type: 'agent.login', agent: 'a3', name: 'Zhao', team: 'west', queues: ['support'] }),
      e(0.01, { type: 'agent.state', agent: 'a1', state: 'ready' }),
      e(0.01, { type: 'agent.state', agent: 'a2', state: 'ready' }),
      e(0.01, { type: 'agent.state', agent: 'a3', state: 'not_ready', reason: 'break' }),
      e(0.1, { type: 'call.offered', call: 'c1', queue: 'sales' }),
      e(0.11, { type: 'call.answered', call: 'c1', queue: 'sales', agent: 'a1' }),
      e(0.11, { type: 'agent.state', agent: 'a1', state: 'talking' }),
      e(0.3, { type: 'call.ended', call: 'c1', queue: 'sales', agent: 'a1' }),
      e(0.3, { type: 'agent.state', agent: 'a1', state: 'wrap_up' }),
      e(0.35, { type: 'agent.state', agent: 'a1', state: 'ready' }),
      e(0.4, { type: 'call.offered', call: 'c2', queue: 'support' }),
      e(0.41, { type: 'call.abandoned', call: 'c2', queue: 'support' }),
      e(0.5, { type: 'call.offered', call: 'c3', queue: 'sales' }),
      e(0.6, { type: 'call.answered', call: 'c3', queue: 'sales', agent: 'a2' }),
      e(0.6, { type: 'agent.state', agent: 'a2', state: 'talking' }),
      e(0.7, { type: 'call.offered', call: 'c4', queue: 'sales' }),
      e(0.9, { type: 'call.offered', call: 'c5', queue: 'support' }),
      e(0.95, { type: 'agent.logout', agent: 'a3' }),
    ];
    // Two batches, the second out of order inside itself: the live engine sorts by ts.
    const r1 = await postEvents(server, events.slice(0, 10));
    const r2 = await postEvents(server, events.slice(10).reverse());
    expect(r1.body.accepted + r2.body.accepted).toBe(events.length);

    const before = await live(server);
    expect(before.timezone).toBe(ZONE);
    const sales = before.queues.find((q) => q.queue === 'sales');
    expect(sales).toMatchObject({ waiting: 1, threshold_s: 15, target: 0.9 });
    expect(sales?.today.answered).toBe(2);
    expect(before.queues.find((q) => q.queue === 'support')?.today.abandoned).toBe(1);
    const intervalsBefore = await intervals(server);

    server = await server.restart();
    const after = await live(server);
    const b = stable(before);
    const a = stable(after);
    // The clock may have crossed an interval boundary between the two reads; then only
    // the day's figures are comparable.
    if (b.interval_start !== a.interval_start) {
      for (const q of [...a.queues, ...b.queues]) q.interval = {};
      a.interval_start = b.interval_start;
    }
    expect(a).toEqual(b);
    expect(await intervals(server)).toEqual(intervalsBefore);
    // The rebuilt runtime keeps taking events.
    await postEvents(server, [
      {
        id: 'rs-after',
        ts: Date.now(),
        site: SITE,
        type: 'call.answered',
        call: 'c4',
        queue: 'sales',
        agent: 'a1',
      },
    ]);
    await waitFor(
      async () =>
        (await live(server)).queues.find((q) => q.queue === 'sales')?.today.answered === 3,
      5000,
    );
  });
});
