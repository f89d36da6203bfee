// History after kill -9 under load: four WebSocket producers back-fill calls and agent events
// of three past days while reports over those days are asked (building their stored facts)
// and the facts warmer runs; the server is killed with SIGKILL mid-stream, started again on
// the same data folder (merges of the many small parts run at start-up) and, at once, every
// history report of those days must equal its recomputation from the stored events
// (GET /api/reports/verify: 0 mismatches). Five kills in a row, each run adding new calls
// to the same days, so stored days must also be rebuilt after each restart.
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { Producer } from '../helpers/producer.js';
import { api, startServer, type TestServer } from '../helpers/server.js';
import { rng, traffic } from '../unit/queue-helpers.js';

const site = 'killed';
const zone = 'Europe/Berlin';
const days = [9, 8, 7].map(
  (n) => DateTime.now().setZone(zone).minus({ days: n }).toISODate() as string,
);
const RUNS = 5;

let server: TestServer | undefined;
afterAll(async () => server?.dispose());

/** A run's new events: calls of each of the three days (ids unique per run), in ts order. */
function runEvents(run: number): FwEvent[] {
  const out: FwEvent[] = [];
  days.forEach((d, i) => {
    const start = DateTime.fromISO(`${d}T20:00`, { zone })
      .plus({ minutes: run * 7 })
      .toMillis();
    for (const e of traffic(run * 10 + i, 6, 250, { start, site, prefix: `r${run}d${i}-` })
      .events) {
      out.push(
        'call' in e
          ? ({ ...e, call: `r${run}d${i}-${(e as FwEvent & { call: string }).call}` } as FwEvent)
          : e,
      );
    }
  });
  return out.sort((a, b) => a.ts - b.ts);
}

async function verify(
  s: TestServer,
): Promise<{ rows: Record<string, number>; mismatches: unknown[] }> {
  const res = await api(
    s,
    `/api/reports/verify?site=${site}&from=${days[0]}&to=${DateTime.fromISO(days[2] as string)
      .plus({ days: 1 })
      .toISODate()}&report=intervals`,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { rows: Record<string, number>; mismatches: unknown[] };
}

describe('history after SIGKILL under load', () => {
  it(`every report equals its recomputation from events after each of ${RUNS} kills`, async () => {
    server = await startServer({ env: { FLOORWATCH_NO_FACTS_WARMER: '0' }, timeoutMs: 180_000 });
    const dataDir = server.dataDir;
    expect(
      (
        await api(server, `/api/sites/${site}`, {
          method: 'PUT',
          body: JSON.stringify({ timezone: zone }),
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
    ).toBe(200);
    const r = rng(1818);
    let acked = 0;
    for (let run = 0; run < RUNS; run++) {
      const s: TestServer = server;
      const events = runEvents(run);
      const producers = await Promise.all([0, 1, 2, 3].map((i) => Producer.open(s.wsUrl, `p${i}`)));
      // Each producer sends its quarter of the run in batches of 50-250 lines, several in flight.
      const sending = producers.map(async (p, i) => {
        const mine = events.filter((_, k) => k % 4 === i);
        const inFlight: Promise<unknown>[] = [];
        for (let k = 0; k < mine.length;) {
          const n = 50 + Math.floor(r() * 200);
          const sent = p.send(mine.slice(k, k + n)).then((reply) => (acked += reply.accepted));
          // A batch cut off by the kill rejects; the loop stops at the first one it awaits.
          sent.catch(() => {});
          inFlight.push(sent);
          k += n;
          if (inFlight.length >= 4) await inFlight.shift();
        }
        await Promise.all(inFlight);
      });
      // Reports over the days race the inserts (they build stored facts of the closed days).
      const reports = (async () => {
        for (let k = 0; k < 20; k++) {
          const d = days[Math.floor(r() * 3)] as string;
          await api(
            s,
            `/api/reports/intervals?site=${site}&from=${d}&to=${DateTime.fromISO(d).plus({ days: 1 }).toISODate()}&interval=60`,
          ).catch(() => null);
        }
      })();
      // Killed once a random share of the run is acknowledged (or all of it is).
      const target = acked + Math.floor(events.length * (0.2 + 0.6 * r()));
      await Promise.race([
        Promise.allSettled(sending),
        (async () => {
          while (acked < target) await new Promise((res) => setTimeout(res, 20));
        })(),
      ]);
      await s.stop('SIGKILL');
      await Promise.allSettled([...sending, reports]);
      for (const p of producers) p.close();

      server = await startServer({
        dataDir,
        env: { FLOORWATCH_NO_FACTS_WARMER: '0' },
        timeoutMs: 180_000,
      });
      const result = await verify(server);
      expect(result.rows['intervals-60'], `run ${run}`).toBeGreaterThan(0);
      expect(result.mismatches, `run ${run}`).toEqual([]);
    }
    expect(acked).toBeGreaterThan(0);
  }, 600_000);
});
