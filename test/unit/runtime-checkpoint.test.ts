// A live-state checkpoint plus the events stored after it gives the same board as a full
// replay of the day, and as the runtime that lived through it: random seeded sites with
// calls crossing the checkpoint, a roster, breaks, break requests and service-quality events.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { QualityEngine } from '../../ingest/src/core/quality/engine.js';
import type { RosterSegment } from '../../ingest/src/core/modules.js';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import { SERIES_WINDOW_MS } from '../../ingest/src/core/feed/live-series.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/engine.js';
import { createWorkStateEngine } from '../../ingest/src/core/workstate/engine.js';
import {
  configHash,
  decodeCheckpoint,
  encodeCheckpoint,
} from '../../ingest/src/runtime/checkpoint-file.js';
import { seeded } from '../helpers/random.js';
import { randomWorkforce } from '../integration/workforce-model.js';
import { SITE, T0, siteConfig, traffic } from './queue-helpers.js';

const DAY = '2026-11-23';
const S = 1000;

function runtime(cfg: SiteConfig): SiteRuntime {
  return new SiteRuntime(SITE, cfg, {
    queue: createQueueEngine(SITE, cfg, { latenessMs: 10_000 }),
    workforce: createWorkforceEngine(SITE, cfg),
    alerts: createAlertEngine(SITE, cfg),
    workState: createWorkStateEngine(SITE, cfg),
    quality: new QualityEngine(SITE, cfg),
  });
}

/** A day of one site: calls and agent states, a roster with its sign-ins, requests, orders. */
function day(seed: number) {
  const r = seeded(seed * 7919);
  const calls = traffic(seed, 8, 900);
  const end = calls.end + 60 * S;
  const plan = randomWorkforce({
    seed,
    site: SITE,
    zone: 'UTC',
    agents: 10,
    days: [DAY],
    now: end,
  });
  const extra: FwEvent[] = [];
  let n = 0;
  const ev = (ts: number, body: Record<string, unknown>) =>
    extra.push({ id: `x${n++}`, site: SITE, ts, ...body } as unknown as FwEvent);
  for (let i = 0; i < 40; i++) {
    const ts = T0 + Math.floor(r() * (end - T0 - 120 * S));
    const agent = `a${String(i % 10).padStart(2, '0')}`;
    const caller = `h_${String(i % 7).padStart(16, '0')}`;
    ev(ts, { type: 'agent.break_requested', agent, reason: 'break', minutes: 15 });
    ev(ts + 1, { type: 'call.offered', call: `k${i}`, queue: 'q1', caller });
    ev(ts + 2 * S, { type: 'call.answered', call: `k${i}`, queue: 'q1', agent: 'ag1' });
    if (i % 2 === 0) ev(ts + 30 * S, { type: 'call.survey', call: `k${i}`, score: 1 + (i % 5) });
    if (i % 3 === 0) {
      ev(ts + 40 * S, {
        type: 'ticket.created',
        ticket: `t${i}`,
        category: i % 2 ? 'billing' : 'network',
        class: 'ordinary',
        channel: 'phone',
        call: `k${i}`,
        caller,
        agent: 'ag1',
      });
      if (i % 2) ev(ts + 90 * S, { type: 'ticket.closed', ticket: `t${i}` });
    }
  }
  const events = [...calls.events, ...(plan.events as unknown as FwEvent[]), ...extra]
    .filter((e) => e.ts <= end)
    .sort((a, b) => a.ts - b.ts);
  const roster: RosterSegment[] = plan.segs.map((s) => ({ ...s }));
  return { events, end, roster, r };
}

/** The board as /api/live shows it, and the interval and chart figures behind it. */
function board(rt: SiteRuntime, now: number, withAlerts = true) {
  const snap = rt.snapshot(now);
  return {
    snapshot: withAlerts ? snap : { ...snap, alerts: undefined },
    intervals: rt.modules.queue.intervals(now),
    // A replay starts the chart at now - window; the live one keeps the samples it took at
    // its last event's window, a few older (the restart's catch-up reads the same way).
    series: rt.series.body(undefined, now - SERIES_WINDOW_MS),
    workState: [...(rt.modules.workState?.agents() ?? [])].sort((a, b) =>
      a.agent < b.agent ? -1 : 1,
    ),
    requests: rt.modules.workState?.requests(),
    quality: rt.modules.quality?.live(now),
  };
}

const hydrate = (rt: SiteRuntime, roster: RosterSegment[]) =>
  rt.modules.workforce?.setRoster(
    roster,
    [...new Set(roster.map((s) => s.agent))].map((agent) => ({ agent, day: DAY })),
  );

describe('live-state checkpoint', () => {
  it.each([1, 2, 3, 4, 5])('checkpoint + the rest = full replay = live (seed %i)', (seed) => {
    const cfg = siteConfig({ timezone: 'UTC' }, { q1: {}, q2: {}, q3: {} });
    const { events, end, roster, r } = day(seed);
    // A: the live runtime, batches in arrival order; the roster uploaded before the shift.
    const a = runtime(cfg);
    hydrate(a, roster);
    const cut = Math.floor(events.length * (0.3 + 0.5 * r()));
    let bytes: Buffer | null = null;
    for (let i = 0; i < events.length;) {
      const n = 1 + Math.floor(r() * 40);
      const batch = events.slice(i, Math.min(i + n, cut > i ? cut : events.length));
      i += batch.length;
      a.apply(batch, (batch[batch.length - 1] as FwEvent).ts + 50);
      if (i === cut) {
        const st = a.exportState();
        expect(st).not.toBeNull();
        bytes = encodeCheckpoint(
          {
            database: 'db',
            site: SITE,
            day: DAY,
            received: i,
            config: configHash(cfg),
            taken_at: 0,
          },
          st!,
        );
      }
    }
    expect(bytes).not.toBeNull();
    // B: stored state loaded, the checkpoint imported, the events after it replayed.
    const b = runtime(cfg);
    hydrate(b, roster);
    const { header, state } = decodeCheckpoint(bytes!);
    expect(header).toMatchObject({ site: SITE, day: DAY, received: cut });
    expect(b.importState(state)).toBe(true);
    b.replay(events.slice(cut), end);
    b.finishReplay(end);
    // C: the whole day replayed.
    const c = runtime(cfg);
    hydrate(c, roster);
    c.replay(events, end);
    c.finishReplay(end);

    const fromC = board(c, end);
    expect(board(b, end)).toEqual(fromC);
    // The live runtime evaluated alerts along the way (hold-downs), the replays once.
    // A rule-granted or started request is a stored step the replays get from the store; team
    // tiles are memoised for a second of the clock, so A is read past its last evaluation.
    const ba = board(a, end + 5 * S, false);
    const bc = board(c, end + 5 * S, false);
    for (const k of Object.keys(ba) as (keyof typeof ba)[])
      if (k !== 'requests') expect([k, ba[k]]).toEqual([k, bc[k]]);
    // The day had what the checkpoint must carry.
    expect(fromC.snapshot.agents.length).toBeGreaterThan(10);
    expect(fromC.intervals.some((x) => x.answered > 0)).toBe(true);
    const before = new Set(events.slice(0, cut).map((e) => ('call' in e ? e.call : '')));
    const crossing = events.slice(cut).filter((e) => e.type === 'call.ended' && before.has(e.call));
    expect(crossing.length).toBeGreaterThan(0);
    expect(fromC.requests?.length).toBeGreaterThan(0);
    expect(fromC.snapshot.agents.some((x) => x.scheduled_activity !== null)).toBe(true);
    // Later snapshots agree too (the clock moves waits, adherence and the interval).
    expect(board(b, end + 90 * S)).toEqual(board(c, end + 90 * S));
  });

  it('refuses a torn or altered file', () => {
    const cfg = siteConfig({ timezone: 'UTC' });
    const a = runtime(cfg);
    a.apply(traffic(9, 3, 20).events, T0 + 3_600_000);
    const bytes = encodeCheckpoint(
      { database: 'db', site: SITE, day: DAY, received: 1, config: configHash(cfg), taken_at: 0 },
      a.exportState()!,
    );
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 10))).toThrow(/body holds/);
    const flipped = Buffer.from(bytes);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 100) ^ 0xff, flipped.length - 100);
    expect(() => decodeCheckpoint(flipped)).toThrow(/checksum/);
    expect(() => decodeCheckpoint(Buffer.from('hello'))).toThrow(/not a checkpoint/);
  });
});
