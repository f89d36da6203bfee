// A kill -9 after a live-state checkpoint: the restart imports the checkpoint and replays only
// the events stored after it, and GET /api/live shows what it showed before the kill. A roster
// uploaded after the checkpoint counts, and so does a work order of days ago that arrived after
// it (outside today's replay); a site configuration changed after it, or a corrupt checkpoint
// file, makes the restart replay the whole day instead, with the same figures.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSnapshot } from '../../ingest/src/core/snapshot.js';
import {
  api,
  postEvents,
  readMetrics,
  startServer,
  waitFor,
  type TestServer,
} from '../helpers/server.js';
import { zoneAtHour } from '../helpers/zone.js';

const SITE = 'CKPT1';
const DAY = 86_400_000;
// Picked at run time so that it is about noon there: the test compares the board before and
// after each kill, and a local midnight in between would roll the day under it.
const ZONE = zoneAtHour(Date.now(), 12).zone;
// 3 s: the events sent after a checkpoint must be killed before the next one takes them in,
// which on a loaded 2-core machine took over a second at 1 s.
const ENV = { FLOORWATCH_CHECKPOINT_S: '3' };

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: ENV });
});
afterAll(async () => {
  await server?.dispose();
});

/** What /api/live shows that does not move with the clock alone. */
function stable(s: LiveSnapshot) {
  return {
    operating_day: s.operating_day,
    interval_start: s.interval_start,
    last_event_at: s.last_event_at,
    queues: s.queues.map((q) => ({
      queue: q.queue,
      waiting: q.waiting,
      ready_agents: q.ready_agents,
      agents_by_state: q.agents_by_state,
      interval: { ...q.interval, occupancy: null, explain: null },
      today: { ...q.today, occupancy: null, explain: null },
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
        adherence: a.adherence,
        scheduled_activity: a.scheduled_activity,
      }))
      .sort((a, b) => a.agent.localeCompare(b.agent)),
    teams: s.teams.map((t) => ({ team: t.team, attendance: t.attendance })),
    orders: s.quality && { open: s.quality.open, open_total: s.quality.open_total },
  };
}

async function live(srv: TestServer): Promise<LiveSnapshot> {
  return (await (await api(srv, `/api/live?site=${SITE}`)).json()) as LiveSnapshot;
}

const checkpoints = async (srv: TestServer) =>
  (await readMetrics(srv))('floorwatch_checkpoints_total') || 0;

/** Waits for a checkpoint written after this call (the counter moves past its value now). */
async function nextCheckpoint(srv: TestServer): Promise<void> {
  const seen = await checkpoints(srv);
  await waitFor(async () => (await checkpoints(srv)) > seen, 20_000);
}

function checkpointFile(srv: TestServer): string {
  const dir = path.join(srv.dataDir, 'checkpoints');
  const db = readdirSync(dir).find((d) => readdirSync(path.join(dir, d)).includes(`${SITE}.ckpt`));
  if (!db) throw new Error('no checkpoint file');
  return path.join(dir, db, `${SITE}.ckpt`);
}

/** Kills the server with SIGKILL and starts it again on the same data folder. */
async function kill9(srv: TestServer): Promise<TestServer> {
  expect(await srv.stop('SIGKILL')).toBe(null);
  return startServer({ dataDir: srv.dataDir, env: ENV });
}

interface Rebuilt {
  replayed: { site: string; checkpoint: number | null; events: number }[];
}
function rebuilt(srv: TestServer): Rebuilt['replayed'][number] | undefined {
  for (const l of srv.logs)
    if (l.includes('live state rebuilt'))
      return (JSON.parse(l) as Rebuilt).replayed.find((r) => r.site === SITE);
  return undefined;
}
/** The board after the restart equals the one before (interval figures only in the same interval). */
async function expectSameBoard(srv: TestServer, before: LiveSnapshot): Promise<void> {
  const b = stable(before);
  const a = stable(await live(srv));
  if (a.interval_start !== b.interval_start) {
    for (const q of [...a.queues, ...b.queues]) q.interval = {} as (typeof q)['interval'];
    a.interval_start = b.interval_start;
  }
  expect(a).toEqual(b);
}

const logged = (srv: TestServer, text: string) => srv.logs.some((l) => l.includes(text));

describe('restart from a live-state checkpoint', () => {
  it('kill -9 after a checkpoint: the same board, replaying only what came after it', async () => {
    const put = await api(server, `/api/sites/${SITE}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ timezone: ZONE, queues: { sales: { threshold_s: 15 } } }),
    });
    expect(put.status).toBe(200);
    const now = Date.now();
    const dayStart = DateTime.fromMillis(now, { zone: ZONE }).startOf('day').toMillis();
    const t0 = Math.max(now - 20 * 60_000, dayStart + 1000);
    const at = (f: number) => Math.round(t0 + f * (now - 5000 - t0));
    let n = 0;
    const e = (f: number, body: Record<string, unknown>) => ({
      id: `ck-${++n}`,
      ts: at(f),
      site: SITE,
      ...body,
    });
    const first = [
      e(0, { type: 'agent.login', agent: 'a1', name: 'Li', team: 'east', queues: ['sales'] }),
      e(0, { type: 'agent.login', agent: 'a2', team: 'east', queues: ['sales', 'support'] }),
      e(0, { type: 'agent.login', agent: 'a3', team: 'west', queues: ['support'] }),
      e(0.01, { type: 'agent.state', agent: 'a1', state: 'ready' }),
      e(0.01, { type: 'agent.state', agent: 'a2', state: 'ready' }),
      e(0.01, { type: 'agent.state', agent: 'a3', state: 'not_ready', reason: 'break' }),
      e(0.1, { type: 'call.offered', call: 'c1', queue: 'sales' }),
      e(0.11, { type: 'call.answered', call: 'c1', queue: 'sales', agent: 'a1' }),
      e(0.11, { type: 'agent.state', agent: 'a1', state: 'talking' }),
      e(0.3, { type: 'call.offered', call: 'c2', queue: 'support' }),
      e(0.31, { type: 'call.abandoned', call: 'c2', queue: 'support' }),
      e(0.4, { type: 'call.offered', call: 'c3', queue: 'sales' }),
      // A work order of two days ago, held by the checkpoint (today's replay does not reach it).
      {
        ...e(0, {
          type: 'ticket.created',
          ticket: 'W-OLD',
          category: 'billing',
          class: 'ordinary',
        }),
        ts: now - 2 * DAY,
      },
    ];
    expect((await postEvents(server, first)).body.accepted).toBe(first.length);
    await nextCheckpoint(server);

    // After the checkpoint: c1 ends (it crosses the checkpoint), c3 is answered, a roster.
    const hhmm = (ms: number) =>
      DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm');
    const roster = ['a1', 'a2', 'a4'].map((agent) => ({
      agent,
      team: 'east',
      start: hhmm(dayStart),
      end: hhmm(dayStart + 23 * 3_600_000),
      activity: 'work',
    }));
    const second = [
      e(0.5, { type: 'call.ended', call: 'c1', queue: 'sales', agent: 'a1' }),
      e(0.5, { type: 'agent.state', agent: 'a1', state: 'wrap_up' }),
      e(0.6, { type: 'agent.state', agent: 'a1', state: 'ready' }),
      e(0.7, { type: 'call.answered', call: 'c3', queue: 'sales', agent: 'a2' }),
      e(0.7, { type: 'agent.state', agent: 'a2', state: 'talking' }),
      e(0.8, { type: 'call.offered', call: 'c4', queue: 'sales' }),
      e(0.9, { type: 'agent.logout', agent: 'a3' }),
      // Arrives after the checkpoint with an event time of three days ago: only the load of
      // work orders that arrived after the checkpoint brings it back.
      {
        ...e(0.9, {
          type: 'ticket.created',
          ticket: 'W-LATE',
          category: 'network',
          class: 'ordinary',
        }),
        ts: now - 3 * DAY,
      },
    ];
    const [r2, rosterPut] = await Promise.all([
      postEvents(server, second),
      api(server, `/api/sites/${SITE}/roster`, {
        method: 'PUT',
        body: JSON.stringify(roster),
        headers: { 'Content-Type': 'application/json' },
      }),
    ]);
    expect(r2.body.accepted).toBe(second.length);
    expect(rosterPut.status).toBe(200);
    const before = await waitFor(async () => {
      const s = await live(server);
      return s.agents.some((a) => a.agent === 'a4') ? s : null;
    });
    expect(before.queues.find((q) => q.queue === 'sales')?.today.answered).toBe(2);
    expect(before.quality?.open_total).toBe(2);

    server = await kill9(server);
    const r = rebuilt(server);
    expect(logged(server, 'live state restored from a checkpoint')).toBe(true);
    expect(r?.checkpoint).not.toBeNull();
    expect(r?.events).toBeGreaterThan(0);
    expect(r?.events).toBeLessThan(first.length + second.length);
    await expectSameBoard(server, before);

    // A configuration change after the checkpoint: it is ignored, the day replayed.
    await nextCheckpoint(server);
    const put2 = await api(server, `/api/sites/${SITE}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ timezone: ZONE, queues: { sales: { threshold_s: 30 } } }),
    });
    expect(put2.status).toBe(200);
    const third = [e(0.95, { type: 'call.abandoned', call: 'c4', queue: 'sales' })];
    expect((await postEvents(server, third)).body.accepted).toBe(1);
    const before2 = await live(server);
    server = await kill9(server);
    expect(logged(server, 'the site configuration changed')).toBe(true);
    // The two work orders of days ago are loaded before the replay, which covers today.
    expect(rebuilt(server)).toMatchObject({
      checkpoint: null,
      events: first.length + second.length + third.length - 2,
    });
    await expectSameBoard(server, before2);

    // A corrupt checkpoint file: refused with a warning, the day replayed.
    await nextCheckpoint(server);
    const file = checkpointFile(server);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 50) ^ 0xff, bytes.length - 50);
    const before3 = await live(server);
    expect(await server.stop('SIGKILL')).toBe(null);
    writeFileSync(file, bytes);
    server = await startServer({ dataDir: server.dataDir, env: ENV });
    expect(logged(server, 'is not a valid checkpoint')).toBe(true);
    expect(rebuilt(server)?.checkpoint).toBeNull();
    await expectSameBoard(server, before3);

    // A clean stop (SIGTERM) writes a last checkpoint: the next start replays nothing.
    const before4 = await live(server);
    server = await server.restart();
    expect(rebuilt(server)).toMatchObject({ events: 0 });
    expect(rebuilt(server)?.checkpoint).not.toBeNull();
    await expectSameBoard(server, before4);
  });
});
