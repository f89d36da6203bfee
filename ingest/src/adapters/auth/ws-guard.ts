// WebSocket upgrades through the access gate (token or cookie, Origin allow-list, the
// route's roles for the requested site), and open sockets held to their credential: when
// a token or session is revoked, or a session expires, its sockets are closed at once (the
// revocation) or within the sweep interval (expiry).
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';
import type { Principal } from '../../core/access/index.js';
import type { Gate } from './gate.js';

/** Close code for a socket whose credential was revoked or expired (private range 4000-4999). */
export const CLOSE_REVOKED = 4401;
/** Expired sessions are noticed within this; revocations close sockets immediately. */
const SWEEP_MS = 2_000;

export class WsGuard {
  private readonly open = new Map<object, { p: Principal; close: () => void }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly gate: Gate) {
    gate.identity.onRevoke(() => this.sweep());
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  /**
   * Checks an upgrade synchronously (uWS's request object is valid only until the handler
   * returns). Returns the caller, or null after writing a 401/403 reply.
   */
  upgrade(res: HttpResponse, req: HttpRequest, path: string): Principal | null | undefined {
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'cookie', 'origin', 'host']) {
      const v = req.getHeader(h);
      if (v) headers[h] = v;
    }
    const query = new URLSearchParams(req.getQuery() ?? '');
    const refuse = (status: 401 | 403, error: string): null => {
      res.cork(() => {
        res
          .writeStatus(status === 401 ? '401 Unauthorized' : '403 Forbidden')
          .writeHeader('Content-Type', 'application/json')
          .end(JSON.stringify({ error }));
      });
      return null;
    };
    // Any browser page can open a WebSocket to any server: only our own pages (and allowed
    // origins) may, whatever the credentials. Non-browser clients send no Origin.
    if (!this.gate.originAllowed(headers['origin'], headers['host']))
      return refuse(403, `WebSocket connections from origin ${headers['origin']} are not allowed`);
    const r = this.gate.check({ method: 'WS', path, query, headers });
    if (!r.ok) return refuse(r.status, r.error);
    return r.access.principal;
  }

  /** Holds an open socket to its caller's credential; `close` ends it. */
  track(ws: object, p: Principal | null | undefined, close: () => void): void {
    if (p) this.open.set(ws, { p, close });
  }

  untrack(ws: object): void {
    this.open.delete(ws);
  }

  private sweep(): void {
    for (const [ws, { p, close }] of this.open) {
      if (this.gate.identity.stillValid(p)) continue;
      this.open.delete(ws);
      close();
    }
  }

  /** Sockets held (for tests and metrics). */
  size(): number {
    return this.open.size;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
