// A real WebSocket producer for tests: sends NDJSON batches to /ws/ingest and resolves
// each batch with the server's reply, matched by the socket's batch number (seq).
import WebSocket from 'ws';
import { authHeaders, type IngestReplyBody } from './server.js';

export class Producer {
  private seq = 0;
  private readonly waiting = new Map<number, (r: IngestReplyBody) => void>();
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const r = JSON.parse(data.toString()) as IngestReplyBody;
      const cb = r.seq !== undefined ? this.waiting.get(r.seq) : undefined;
      if (cb && r.seq !== undefined) {
        this.waiting.delete(r.seq);
        cb(r);
      }
    });
  }

  static open(wsUrl: string, name = 'test'): Promise<Producer> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${wsUrl}/ws/ingest`, {
        headers: authHeaders({ 'X-Floorwatch-Producer': name }),
      });
      ws.once('open', () => resolve(new Producer(ws)));
      ws.once('error', reject);
    });
  }

  /** Sends one batch; resolves with its reply (after the server committed it). */
  send(lines: (object | string)[]): Promise<IngestReplyBody> {
    const seq = ++this.seq;
    const body = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, resolve);
      this.ws.send(body, (err) => err && reject(err));
      this.ws.once('close', () =>
        reject(new Error(`socket closed before batch ${seq} was acknowledged`)),
      );
    });
  }

  close(): void {
    this.ws.close();
  }
}
