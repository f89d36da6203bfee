// Stand-in wallboards: N WebSocket clients on /ws/board?site=S in one process. Each counts
// its messages and the delta seqs it got; client 0 also decodes every message and notes
// when the probe agent's reason ("p<n>") first shows probe n or a later one.
import WebSocket from 'ws';
import { config, fail, finish, onMessage, ready, wallNow } from './ipc.js';
import { benchAuth } from '../lib/token.js';

export interface BoardsConfig {
  url: string;
  clients: number;
  probeAgent?: string;
}

export interface BoardsResult {
  connected: number;
  /** Messages that moved the topic's seq on by one (deltas, published snapshots), all clients. */
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
const SEQ_TAIL_RE = /"seq":(\d+)\}$/;

async function main(): Promise<void> {
  const clients: Client[] = [];
  const seen: [number, number][] = [];
  let maxProbe = 0;
  let bytes = 0;
  let counting = false;
  let firstSnapshotBytes = 0;
  let tStart = 0;
  const probeRe = c.probeAgent
    ? new RegExp(`"agent":"${c.probeAgent}"[^}]*?"reason":"p(\\d+)"`)
    : null;

  const open = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(c.url, { perMessageDeflate: false, headers: benchAuth() });
      const cl: Client = { ws, firstSeq: -1, lastSeq: -1, deltas: 0, resyncs: 0, closed: false };
      clients.push(cl);
      ws.on('message', (data: Buffer) => {
        const now = wallNow();
        // No full decode per client (1,000 boards in one process must not be the bottleneck):
        // the type is near the start; seq is near the start of a snapshot and last in a delta.
        const head = data.toString('latin1', 0, 200);
        const type = TYPE_RE.exec(head)?.[1];
        const tail = data.toString('latin1', Math.max(0, data.length - 48));
        const seq = Number(SEQ_TAIL_RE.exec(tail)?.[1] ?? SEQ_RE.exec(head)?.[1] ?? -1);
        if (type === 'snapshot' && cl.firstSeq < 0) {
          cl.firstSeq = seq;
          cl.lastSeq = seq;
          if (i === 0) firstSnapshotBytes = data.length;
          resolve();
        } else if (seq > cl.lastSeq) {
          // A message that moves the topic's seq on: a delta, or a snapshot published to all.
          // A private resync snapshot jumps over the seqs this board missed.
          if (counting) {
            if (type === 'snapshot' && seq > cl.lastSeq + 1) cl.resyncs++;
            else cl.deltas++;
            bytes += data.length;
          }
          cl.lastSeq = seq;
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
  onMessage('stop', () => void stop());
  const stop = async () => {
    const elapsed = (wallNow() - tStart) / 1000;
    counting = false;
    // The server's own seq at stop: the snapshot a fresh board gets carries it, so boards
    // that lag behind the topic cannot make the expected count look smaller.
    const serverSeq = await new Promise<number>((resolve) => {
      const ws = new WebSocket(c.url, { perMessageDeflate: false, headers: benchAuth() });
      ws.once('message', (d: Buffer) => {
        resolve(Number(SEQ_RE.exec(d.toString('latin1', 0, 200))?.[1] ?? -1));
        ws.terminate();
      });
      ws.once('error', () => resolve(-1));
    });
    const last = Math.max(serverSeq, ...clients.map((cl) => cl.lastSeq));
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
  };
}

main().catch(fail);
