// The board's WebSocket: connects to /ws/board?site=S, hands every message to the caller,
// reconnects with capped, jittered backoff, and asks for a snapshot after a seq gap.
// The server sends a snapshot first on every (re)connection, so resuming needs no state here.
import type { BoardMessage } from '../../../ingest/src/core/snapshot.js';

/** 0.5 s, 1 s, 2 s … capped at 10 s; jitter of ±25% so 50 TVs don't reconnect in lockstep. */
export function backoffMs(attempt: number, random: number): number {
  const base = Math.min(10_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random * 0.5));
}

/** `signedOut` false asks the server to leave signed-out agents out of the snapshot. */
export function boardUrl(
  location: { protocol: string; host: string },
  site: string,
  signedOut = true,
): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const base = `${proto}//${location.host}/ws/board?site=${encodeURIComponent(site)}`;
  return signedOut ? base : `${base}&signed_out=0`;
}

/** The server closes a socket with this when its credential is revoked or expired (ws-guard.ts). */
export const CLOSE_REVOKED = 4401;

export interface BoardSocketHandlers {
  /** Returns 'resync' when the message reveals a gap and a fresh snapshot is needed. */
  message(msg: BoardMessage): 'ok' | 'resync';
  status(connected: boolean): void;
  /**
   * The socket closed without our asking. 'revoked': the server said the credential ended; the
   * socket does not reconnect (a revoked kiosk link must not retry forever). Otherwise it
   * reconnects after the backoff unless the board calls stop() meanwhile.
   */
  closed?(why: 'revoked' | 'dropped' | 'refused'): void;
}

export class BoardSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly handlers: BoardSocketHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ws?.close();
    this.ws = null;
  }

  resync(): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'resync' }));
  }

  /** Drops the connection (e.g. the board heard nothing for too long) and reconnects. */
  reconnect(): void {
    this.ws?.close();
  }

  private open(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.handlers.status(true);
    };
    ws.onmessage = (ev: MessageEvent) => {
      // A socket being replaced must not apply its last messages to the new feed.
      if (this.ws !== ws || typeof ev.data !== 'string') return;
      let msg: BoardMessage;
      try {
        msg = JSON.parse(ev.data) as BoardMessage;
      } catch {
        return;
      }
      if (msg.type !== 'snapshot' && msg.type !== 'delta') return;
      if (this.handlers.message(msg) === 'resync') this.resync();
    };
    let opened = false;
    ws.addEventListener('open', () => (opened = true));
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.handlers.status(false);
      if (this.stopped) return;
      if (ev.code === CLOSE_REVOKED) {
        this.stopped = true;
        this.handlers.closed?.('revoked');
        return;
      }
      // An upgrade the server refused (401/403) looks like any failed connection here.
      this.handlers.closed?.(opened ? 'dropped' : 'refused');
      if (this.stopped) return;
      this.timer = setTimeout(() => this.open(), backoffMs(this.attempt++, Math.random()));
    };
    ws.onerror = () => ws.close();
  }
}
