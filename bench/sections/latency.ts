// 3. Latency at fixed offered loads (1k, 10k, 50k events/s, open loop, one message per
// 10 ms tick): event sent → acknowledged, and event sent → visible in a /ws/board delta.
// Visibility is measured with probe events (agent.state of one agent whose reason carries
// the probe number): probe n is visible when a board message first shows n or a later one.
import { isoNow } from '../lib/lines.js';
import { runProducers } from '../lib/load.js';
import { forkWorker, postLines, settle, sleep, startServer } from '../lib/proc.js';
import { dist, spread, spreadDist, type Dist } from '../lib/stats.js';
import type { Figure, Section } from '../lib/types.js';
import type { BoardsResult } from '../workers/boards.js';
import { QUEUES, SITE, loginAgents } from './ingest.js';

export const PROBE = 'probe-0';

/** For each probe sent, ms until a board first showed it or a later probe. */
export function visibleLatency(
  sent: [number, number][],
  seen: [number, number][],
): { lat: number[]; unseen: number } {
  const s = [...sent].sort((a, b) => a[0] - b[0]);
  const v = [...seen].sort((a, b) => a[0] - b[0]);
  const lat: number[] = [];
  let j = 0;
  let unseen = 0;
  for (const [n, t] of s) {
    while (j < v.length && (v[j] as [number, number])[0] < n) j++;
    const hit = v[j];
    if (!hit) unseen++;
    else lat.push(hit[1] - t);
  }
  return { lat, unseen };
}

export const latencySection: Section = {
  id: 'latency',
  title: '3. Latency at fixed offered loads',
  async run(o) {
    const out: Figure[] = [];
    const s = await startServer();
    try {
      await loginAgents(s, o.agents);
      await postLines(s.url, [
        `{"id":"login-${PROBE}-${Date.now()}","ts":"${isoNow()}","type":"agent.login","site":"${SITE}","agent":"${PROBE}","name":"Probe","team":"t0","queues":["q0"]}`,
      ]);
      let probeBase = 0;
      for (const rate of [1000, 10_000, 50_000]) {
        const ack: Dist[] = [];
        const vis: Dist[] = [];
        let unseen = 0;
        let sentTotal = 0;
        let behind = 0;
        const ackedRates: number[] = [];
        // --quick: one run per load (the 3-minute budget); a full run takes --runs.
        for (let r = 0; r < (o.quick ? 1 : o.runs); r++) {
          probeBase += 1_000_000;
          const board = forkWorker<BoardsResult>('boards', {
            url: `${s.wsUrl}/ws/board?site=${SITE}`,
            clients: 1,
            probeAgent: PROBE,
          });
          await board.ready;
          board.go();
          const res = await runProducers([
            {
              url: `${s.wsUrl}/ws/ingest`,
              site: SITE,
              prefix: `l${rate}r${r}-`,
              agents: o.agents,
              queues: QUEUES,
              batch: Math.max(1, rate / 100),
              window: 0,
              rate,
              durationMs: o.durationS * 1000,
              probeAgent: PROBE,
              probeBase: probeBase,
            },
          ]);
          // The last probes need a board window (100 ms at 10 Hz) to show up.
          await sleep(500);
          board.send({ type: 'stop' });
          const b = await board.result;
          await settle(s.pid, 20_000);
          // Count a probe as unseen only when the board showed nothing at or after it.
          const v = visibleLatency(res.probes, b.seen);
          unseen += v.unseen;
          sentTotal += res.probes.length;
          behind += res.sentPerSec < rate * 0.95 ? 1 : 0;
          ack.push(dist(res.lat));
          ackedRates.push(res.ackedPerSec);
          if (v.lat.length) vis.push(dist(v.lat));
        }
        const a = spreadDist(ack);
        out.push({
          section: '3 latency',
          name: `sent→ack p50 @ ${rate / 1000}k ev/s`,
          value: a.p50,
          unit: 'ms',
          status: 'info',
          note: `batch ${Math.max(1, rate / 100)} per 10 ms tick; server acknowledged ${Math.round(spread(ackedRates).median)} ev/s of ${rate} offered${behind ? `; generator fell behind the offered rate in ${behind} run(s)` : ''}`,
        });
        out.push({
          section: '3 latency',
          name: `sent→ack p99 @ ${rate / 1000}k ev/s`,
          value: a.p99,
          unit: 'ms',
          status: 'info',
        });
        out.push({
          section: '3 latency',
          name: `sent→ack max @ ${rate / 1000}k ev/s`,
          value: a.max,
          unit: 'ms',
          status: 'info',
        });
        if (!vis.length) {
          out.push({
            section: '3 latency',
            name: `sent→board @ ${rate / 1000}k ev/s`,
            value: null,
            unit: 'ms',
            status: 'not measured',
            note: `no probe became visible on /ws/board (${sentTotal} sent)`,
          });
          continue;
        }
        const v = spreadDist(vis);
        const goal = rate === 10_000 ? '≤ 250 ms' : undefined;
        const note = `${sentTotal} probes, ${unseen} never seen`;
        out.push({
          section: '3 latency',
          name: `sent→board p50 @ ${rate / 1000}k ev/s`,
          value: v.p50,
          unit: 'ms',
          status: 'info',
          note,
        });
        out.push({
          section: '3 latency',
          name: `sent→board p99 @ ${rate / 1000}k ev/s`,
          value: v.p99,
          unit: 'ms',
          ...(goal ? { goal } : {}),
          status: goal ? (v.p99.median <= 250 ? 'pass' : 'short') : 'info',
        });
        out.push({
          section: '3 latency',
          name: `sent→board max @ ${rate / 1000}k ev/s`,
          value: v.max,
          unit: 'ms',
          status: 'info',
        });
      }
    } finally {
      await s.stop();
    }
    return out;
  },
};
