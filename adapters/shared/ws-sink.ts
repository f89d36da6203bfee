// Sends event batches over WS /ws/ingest, one batch at a time, and resolves with the batch's
// acknowledgement (sent by the server only after commit). A batch whose reply is an error
// (server busy, write failed) or whose socket drops before the reply is sent again on a new
// socket after a pause: its events have fixed ids, so a batch stored before the drop comes
// back as duplicates. The caller moves its place in the source only after this resolves.
import WebSocket from 'ws';
import type { OutEvent } from './event.js';
import { authHeader, type IngestReply } from './http-sink.js';

export interface WsSinkOptions {
  target: string;
  token?: string | undefined;
  producer: string;
  log(message: string): void;
  /** Wait before a resend, doubled up to 30 s (default 500 ms). */
  retryMs?: number;
}

interface Reply extends IngestReply {
  seq: number;
  error?: string;
  retry_after_ms?: number;
}

export class WsSink {
  private ws: WebSocket | null = null;
  private seq = 0;
  private waiting: { seq: number; resolve(r: Reply): void; reject(e: Error): void } | null = null;

  constructor(private readonly o: WsSinkOptions) {}

  private url(): string {
    return `${this.o.target.replace(/^http/, 'ws').replace(/\/+$/, '')}/ws/ingest`;
  }

  private open(): Promise<WebSocket> {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return Promise.resolve(this.ws);
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url(), {
        headers: { 'X-Floorwatch-Producer': this.o.producer, ...authHeader(this.o.token) },
      });
      ws.once('open', () => {
        this.ws = ws;
        this.seq = 0;
        resolve(ws);
      });
      ws.once('error', (e) => reject(e));
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`${this.url()} answered ${res.statusCode}`)),
      );
      ws.on('message', (data) => {
        let r: Reply;
        try {
          r = JSON.parse(String(data)) as Reply;
        } catch {
          return;
        }
        const w = this.waiting;
        if (w && r.seq === w.seq) {
          this.waiting = null;
          w.resolve(r);
        }
      });
      ws.on('close', () => {
        if (this.ws === ws) this.ws = null;
        const w = this.waiting;
        this.waiting = null;
        w?.reject(new Error('the connection closed before the batch was acknowledged'));
      });
    });
  }

  /** Sends one batch until the server acknowledges it; resolves with the reply. */
  async send(events: readonly OutEvent[]): Promise<IngestReply> {
    const body = events.map((e) => JSON.stringify(e)).join('\n');
    let wait = this.o.retryMs ?? 500;
    for (;;) {
      try {
        const ws = await this.open();
        const seq = ++this.seq;
        const reply = await new Promise<Reply>((resolve, reject) => {
          this.waiting = { seq, resolve, reject };
          ws.send(body, (e) => {
            if (e) reject(e);
          });
        });
        if (!reply.error) return reply;
        this.o.log(`batch not stored, sending it again: ${reply.error}`);
        if (reply.retry_after_ms) wait = Math.max(wait, reply.retry_after_ms);
      } catch (e) {
        this.o.log(
          `cannot deliver to ${this.url()}: ${(e as Error).message}; retrying in ${wait} ms`,
        );
      }
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 30_000);
    }
  }

  close(): void {
    this.ws?.close();
    this.ws = null;
  }
}
