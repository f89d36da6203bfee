// A real `ws` board client for the integration tests: keeps every message, merges them
// with the wallboard's own feed-state code, and lets a test wait for a condition.
import WebSocket from 'ws';
import type { BoardMessage, LiveSnapshot } from '../../ingest/src/core/snapshot.js';
import {
  applyMessage,
  type AgentKeep,
  type FeedState,
} from '../../wallboard/src/lib/feed-state.js';
import { onFloor } from '../../ingest/src/core/feed/signed-out.js';
import { authHeaders } from '../helpers/server.js';

export class BoardClient {
  readonly messages: BoardMessage[] = [];
  state: FeedState | null = null;
  /** Seq gaps the wallboard merge reported (a correct feed has none). */
  readonly gaps: { expected: number; got: number }[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(
    readonly ws: WebSocket,
    keep?: AgentKeep,
  ) {
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as BoardMessage;
      this.messages.push(msg);
      const out = applyMessage(this.state, msg, keep);
      if (out.kind === 'gap') this.gaps.push({ expected: out.expected, got: out.got });
      if (out.state) this.state = out.state;
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  /** `signedOut` false: the feed the wallboard reads by default, without signed-out agents. */
  static async connect(wsUrl: string, site: string, signedOut = true): Promise<BoardClient> {
    const query = `site=${encodeURIComponent(site)}${signedOut ? '' : '&signed_out=0'}`;
    const ws = new WebSocket(`${wsUrl}/ws/board?${query}`, { headers: authHeaders() });
    // Listen before 'open': the snapshot can arrive in the same read as the upgrade reply.
    const client = new BoardClient(ws, signedOut ? undefined : onFloor);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  get snapshot(): LiveSnapshot | null {
    return this.state?.snapshot ?? null;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `cond` holds after some message; rejects at the deadline (epoch ms). */
  async until(cond: (c: BoardClient) => boolean, deadline: number, what: string): Promise<number> {
    for (;;) {
      if (cond(this)) return Date.now();
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `board client: ${what} not seen by the deadline (${this.messages.length} messages, last seq ${this.state?.seq ?? 'none'})`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  send(obj: object): void {
    this.ws.send(JSON.stringify(obj));
  }

  close(): void {
    this.ws.close();
  }
}
