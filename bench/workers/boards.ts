// Stand-in wallboards: N WebSocket clients on /ws/board?site=S in one process. Each counts
// its messages and the delta seqs it got; client 0 also decodes every message and notes
// when the probe agent's reason ("p<n>") first shows probe n or a later one.
import WebSocket from 'ws';
import { config, fail, finish, onMessage, ready, wallNow } from './ipc.js';

export interface BoardsConfig {
  url: string;
  clients: number;
  probeAgent?: string;
}

export interface BoardsResult {
  connected: number;
  /** Delta messages received, all clients. */
  deltas: number;
  /** Deltas published on the topic while each client listened (from its first snapshot's seq to the last seq seen by any client). */
  expected: number;
  /** Snapshots after the first (a board that fell behind is re-sent a snapshot). */
  resyncs: number;
  closed: number;
  bytes: number;
  /** Probe number → wall-clock time it was first visible. */
  seen: [number, number][];
  /** Messages per second per client over the listening window. */
  rateHz: number;
  firstSnapshotBytes: number;
}

interface Client {
  ws: WebSocket;
  firstSeq: number;
  lastSeq: number;
  deltas: number;
  resyncs: number;
  closed: boolean;
}

const c = config<BoardsConfig>();
const SEQ_RE = /"seq":(\d+)/;
const TYPE_RE = /"type":"(\w+)"/;

async function main(): Promise<void> {
  const clients: Client[] = [];
  const seen: [number, number][] = [];
  let maxProbe = 0;
  let bytes = 0;
  let counting = false;
  let firstSnapshotBytes = 0;
  let tStart = 0;
  const probeRe = c.probeAgent ? new RegExp(`"agent":"${c.probeAgent}"[^}]*?"reason":"p(\\d+)"`) : null;

  const open = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(c.url, { perMessageDeflate: false });
      const cl: Client = { ws, firstSeq: -1, lastSeq: -1, deltas: 0, resyncs: 0, closed: false };
      clients.push(cl);
      ws.on('message', (data: Buffer) => {
        const now = wallNow();
        // The envelope's type and seq come first in every board message; no full decode
        // per client (1,000 boards in one process must not be the bottleneck).
        const head = data.toString('latin1', 0, 200);
        const type = TYPE_RE.exec(head)?.[1];
        const seq = Number(SEQ_RE.exec(head)?.[1] ?? -1);
        if (type === 'snapshot') {
          if (cl.firstSeq < 0) {
            cl.firstSeq = seq;
            if (i === 0) firstSnapshotBytes = data.length;
            resolve();
          } else if (counting) cl.resyncs++;
          cl.lastSeq = Math.max(cl.lastSeq, seq);
        } else if (type === 'delta') {
          if (counting) {
            cl.deltas++;
            bytes += data.length;
          }
          cl.lastSeq = Math.max(cl.lastSeq, seq);
        }
        if (i === 0 && probeRe) {
          const text = data.toString();
          // The probe agent may appear once per message; take the highest probe number.
          const m = probeRe.exec(text);
          if (m) {
            const n = Number(m[1]);
            if (n > maxProbe) {
              maxProbe = n;
              seen.push([n, now]);
            }
          }
        }
      });
      ws.on('close', () => (cl.closed = true));
      ws.once('error', reject);
    });

  // Connect in waves of 50 so the server's accept queue is not the thing measured.
  for (let i = 0; i < c.clients; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, c.clients - i) }, (_, k) => open(i + k)));
  }
  ready();
  let baseSeq: number[] = [];
  onMessage('go', () => {
    counting = true;
    tStart = wallNow();
    baseSeq = clients.map((cl) => cl.lastSeq);
  });
  onMessage('stop', () => {
    const elapsed = (wallNow() - tStart) / 1000;
    counting = false;
    const last = Math.max(...clients.map((cl) => cl.lastSeq));
    let expected = 0;
    clients.forEach((cl, i) => {
      if (!cl.closed) expected += last - (baseSeq[i] ?? cl.firstSeq);
    });
    const deltas = clients.reduce((s, cl) => s + cl.deltas, 0);
    for (const cl of clients) cl.ws.terminate();
    finish({
      connected: clients.length,
      deltas,
      expected,
      resyncs: clients.reduce((s, cl) => s + cl.resyncs, 0),
      closed: clients.filter((cl) => cl.closed).length,
      bytes,
      seen,
      rateHz: deltas / clients.length / elapsed,
      firstSnapshotBytes,
    } satisfies BoardsResult);
  });
}

main().catch(fail);
