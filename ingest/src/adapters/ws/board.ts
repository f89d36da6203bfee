// WS /ws/board?site=S: a snapshot on open, then the site's seq-numbered deltas through a
// uWS topic (&signed_out=0: snapshots without signed-out agents, core/feed/signed-out.ts).
// A board that falls behind (its unsent bytes pass its allowance) is taken off the topic
// before uWS would skip a message for it, and gets a fresh snapshot once it drains; one
// still behind after 30 s is closed. Memory per board stays bounded, and so does the sum
// over boards: resyncs are rationed per socket (core/feed/resync-budget.ts) and a snapshot
// that would take every board's unsent bytes past maxBufferedBytes is held back (the board
// catches up when others drain) or, for a board holding more than its share, ends the socket.
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { AppContext } from '../../app-context.js';
import type { Principal } from '../../core/access/index.js';
import type { BoardMessage } from '../../core/snapshot.js';
import type { SiteRegistry } from '../../runtime/site-registry.js';
import { CLOSE_REVOKED, type WsGuard } from '../auth/ws-guard.js';
import {
  DEFAULT_RESYNC_BUDGET,
  ResyncBudget,
  type ResyncBudgetOptions,
} from '../../core/feed/resync-budget.js';
import { trackBoardFeed } from '../metrics.js';

interface BoardSocket {
  site: string;
  /** False (?signed_out=0): snapshots leave out signed-out agents (core/feed/signed-out.ts). */
  signedOut: boolean;
  topic: string;
  /** live: on the topic; behind: off the topic until it drains, then a fresh snapshot. */
  state: 'live' | 'behind';
  behindSince: number;
  /** Unsent bytes tolerated before the board counts as behind. */
  allowance: number;
  closed: boolean;
  /** The caller the upgrade let in (held to its credential by the guard). */
  principal?: Principal | null | undefined;
  /** Resyncs this board may still ask for (made on open). */
  budget?: ResyncBudget;
}

export interface BoardFeedOptions {
  /** Checks upgrades against the access table and closes sockets whose credential is revoked. */
  guard?: WsGuard;
  /** uWS's own cap per socket; only a safety net, since boards leave the topic far below it. */
  maxBackpressure?: number;
  /** A board with more unsent bytes than this (or twice its last snapshot) is behind. */
  behindBytes?: number;
  /** A behind board gets its fresh snapshot once its unsent bytes fall below this. */
  resumeBytes?: number;
  /** A board still behind after this long is closed (it reconnects and starts over). */
  maxBehindMs?: number;
  /** Unsent bytes over all board sockets together; no snapshot is queued past it. */
  maxBufferedBytes?: number;
  /** Resyncs per socket (burst, refill, refusals before close). */
  resync?: ResyncBudgetOptions;
}

/** Same rule as the event contract's `site` field. */
const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Close code for a board dropped for being too slow (private range 4000-4999). */
export const CLOSE_TOO_SLOW = 4008;
/** Close code for a board that keeps asking for resyncs past its budget. */
export const CLOSE_TOO_MANY_RESYNCS = 4009;

export interface BoardFeed {
  /** Boards connected per site (for metrics and tests). */
  clients(site: string): number;
  /** Unsent bytes over every board socket now. */
  bufferedBytes(): number;
}

export function registerBoardFeed(
  app: TemplatedApp,
  registry: SiteRegistry,
  ctx: Pick<AppContext, 'log' | 'now'>,
  opts: BoardFeedOptions = {},
): BoardFeed {
  // 32 MiB: room for a few snapshots of a 20,000-agent site (megabytes each); boards leave
  // the topic long before this.
  const maxBackpressure = opts.maxBackpressure ?? 32 * 1024 * 1024;
  // 1 MiB of unsent deltas is several seconds of a busy site's feed: the board is behind.
  const behindBytes = opts.behindBytes ?? 1024 * 1024;
  const resumeBytes = opts.resumeBytes ?? 64 * 1024;
  const maxBehindMs = opts.maxBehindMs ?? 30_000;
  // 256 MiB: 40 boards each asking for a 600 KB snapshot in a loop grew the server by 1.3 GB
  // before this cap; a normal board holds at most its allowance (1 MiB or two snapshots).
  const maxBuffered = opts.maxBufferedBytes ?? 256 * 1024 * 1024;
  const resyncOpts = opts.resync ?? DEFAULT_RESYNC_BUDGET;
  const sockets = new Map<string, Set<WebSocket<BoardSocket>>>();
  const all = new Set<WebSocket<BoardSocket>>();
  let refusedResyncs = 0;
  let heldBack = 0;

  const bufferedBytes = (): number => {
    let sum = 0;
    for (const ws of all) sum += ws.getBufferedAmount();
    return sum;
  };
  trackBoardFeed(() => ({
    bufferedBytes: bufferedBytes(),
    maxBufferedBytes: maxBuffered,
    refusedResyncs,
    heldBack,
  }));

  const sendSnapshot = (ws: WebSocket<BoardSocket>): void => {
    const ud = ws.getUserData();
    if (ud.closed) return;
    const json = registry.boardSnapshotJson(ud.site, ud.signedOut);
    const total = bufferedBytes();
    if (total + json.length > maxBuffered) {
      // Over the server-wide cap: a board holding more than its share is ended; any other
      // waits off the topic and gets its snapshot once the total has room (check/drain).
      const own = ws.getBufferedAmount();
      heldBack += 1;
      if (own > maxBuffered / Math.max(1, all.size)) {
        ws.end(CLOSE_TOO_SLOW, 'board too slow; the server holds too many unsent bytes');
        return;
      }
      if (ud.state === 'live') markBehind(ws, ctx.now());
      return;
    }
    // Subscribe first: a delta published after this snapshot must reach the board.
    ws.subscribe(ud.topic);
    const status = ws.send(json, false, false);
    if (status === 2) {
      // Dropped by uWS's own cap: this board cannot take even one snapshot.
      ws.end(CLOSE_TOO_SLOW, 'board too slow for its snapshot');
      return;
    }
    ud.state = 'live';
    ud.allowance = Math.max(behindBytes, 2 * json.length);
  };

  const markBehind = (ws: WebSocket<BoardSocket>, now: number): void => {
    const ud = ws.getUserData();
    ws.unsubscribe(ud.topic);
    ud.state = 'behind';
    ud.behindSince = now;
  };

  /** Checks every board of a site around a publish: behind ones leave the topic, drained ones resume, stuck ones close. */
  const check = (site: string): void => {
    const set = sockets.get(site);
    if (!set) return;
    const now = ctx.now();
    for (const ws of set) {
      const ud = ws.getUserData();
      const buffered = ws.getBufferedAmount();
      if (ud.state === 'live') {
        if (buffered > ud.allowance) markBehind(ws, now);
      } else if (buffered < resumeBytes) sendSnapshot(ws);
      else if (now - ud.behindSince > maxBehindMs)
        ws.end(CLOSE_TOO_SLOW, 'board too slow; reconnect for a fresh snapshot');
    }
  };

  registry.attachBoard({
    hasClients: (site) => (sockets.get(site)?.size ?? 0) > 0,
    publish(site: string, msg: BoardMessage) {
      check(site);
      app.publish(`board/${site}`, JSON.stringify(msg), false, false);
    },
  });

  app.ws<BoardSocket>('/ws/board', {
    // Boards only send small control messages ({"type":"resync"}).
    maxPayloadLength: 4096,
    maxBackpressure,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) => {
      const query = new URLSearchParams(req.getQuery() ?? '');
      const site = query.get('site') ?? '';
      const signedOut = query.get('signed_out') !== '0';
      const key = req.getHeader('sec-websocket-key');
      const protocol = req.getHeader('sec-websocket-protocol');
      const extensions = req.getHeader('sec-websocket-extensions');
      if (!SITE_RE.test(site)) {
        res.cork(() => {
          res
            .writeStatus('400 Bad Request')
            .writeHeader('Content-Type', 'application/json')
            .end(
              JSON.stringify({
                error:
                  'query parameter "site" is required: 1 to 64 letters, digits, "_", "." or "-"',
              }),
            );
        });
        return;
      }
      const principal = opts.guard?.upgrade(res, req, '/ws/board');
      if (principal === null) return;
      res.upgrade<BoardSocket>(
        {
          site,
          signedOut,
          topic: `board/${site}`,
          state: 'live',
          behindSince: 0,
          allowance: behindBytes,
          closed: false,
          principal,
        },
        key,
        protocol,
        extensions,
        context,
      );
    },
    open: (ws) => {
      const ud = ws.getUserData();
      ud.budget = new ResyncBudget(resyncOpts, ctx.now());
      all.add(ws);
      let set = sockets.get(ud.site);
      if (!set) sockets.set(ud.site, (set = new Set()));
      set.add(ws);
      opts.guard?.track(ws, ud.principal, () =>
        ws.end(CLOSE_REVOKED, 'credentials revoked or expired'),
      );
      try {
        sendSnapshot(ws);
      } catch (e) {
        ctx.log.error({ err: e, site: ud.site }, 'board snapshot failed');
        ws.end(1011, 'snapshot failed');
        return;
      }
      registry.boardConnected(ud.site);
    },
    message: (ws, message) => {
      let type: unknown;
      try {
        type = (JSON.parse(Buffer.from(message).toString('utf8')) as { type?: unknown }).type;
      } catch {
        type = undefined;
      }
      if (type === 'resync') {
        const ud = ws.getUserData();
        const verdict = ud.budget?.take(ctx.now()) ?? 'send';
        if (verdict === 'send') {
          // A board whose last snapshot is still unsent gets a fresh one when it drains.
          if (ud.state === 'live') sendSnapshot(ws);
          return;
        }
        refusedResyncs += 1;
        if (verdict === 'close') {
          ws.end(CLOSE_TOO_MANY_RESYNCS, 'too many resync requests');
          return;
        }
        ws.send(
          JSON.stringify({
            type: 'error',
            error: `too many resync requests: at most ${resyncOpts.burst} at once and one more every ${resyncOpts.everyMs / 1000} s; keep applying deltas`,
          }),
        );
        return;
      }
      ws.send(
        JSON.stringify({
          type: 'error',
          error: 'unknown message; boards may send {"type":"resync"}',
        }),
      );
    },
    drain: (ws) => {
      const ud = ws.getUserData();
      if (ud.state === 'behind' && ws.getBufferedAmount() < resumeBytes) sendSnapshot(ws);
    },
    close: (ws) => {
      const ud = ws.getUserData();
      ud.closed = true;
      all.delete(ws);
      opts.guard?.untrack(ws);
      const set = sockets.get(ud.site);
      set?.delete(ws);
      if (set && set.size === 0) sockets.delete(ud.site);
    },
  });

  return { clients: (site) => sockets.get(site)?.size ?? 0, bufferedBytes };
}
