// End to end on the real server (child process, own data folder, real port, real ws
// client): a site config with a 2 s hold-down overflow rule, events that overload the
// queue, the alert on /ws/board within 1 s of the hold-down expiring, an ack through the
// API, the clear after the clear-down once the queue recovers, and the whole lifecycle in
// GET /api/alerts. Named .pending.ts until main.ts wires the site registry, the board feed
// and the alert engine; rename to alerts-e2e.test.ts then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AlertView, BoardMessage } from '../../ingest/src/core/snapshot.js';
import { authHeaders, startServer, type TestServer } from '../helpers/server.js';

const SITE = 'e2e-alerts';
const HOLD_S = 2;
const CLEAR_S = 3;

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.dispose();
});

/** Board client: keeps every message with its arrival time and the alerts as the board would. */
class Board {
  readonly messages: { at: number; msg: BoardMessage }[] = [];
  readonly alerts = new Map<string, AlertView>();
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as BoardMessage;
      this.messages.push({ at: Date.now(), msg });
      if (msg.type === 'snapshot') {
        this.alerts.clear();
        for (const a of msg.alerts) this.alerts.set(a.id, a);
      } else {
        for (const a of msg.alerts ?? []) {
          if (a.cleared_at !== null) this.alerts.delete(a.id);
          else this.alerts.set(a.id, a);
        }
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string): Promise<Board> {
    // Listen before 'open': the snapshot may arrive in the same read as the upgrade reply.
    const board = new Board(new WebSocket(url, { headers: authHeaders() }));
    await new Promise<void>((resolve, reject) => {
      board.ws.once('open', () => resolve());
      board.ws.once('error', reject);
    });
    return board;
  }

  /** Waits for a message-driven condition (never a fixed sleep); fails after `ms`. */
  async until<T>(what: string, pred: () => T | undefined | null | false, ms = 30_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = pred();
      if (v) return v;
      if (Date.now() > end)
        throw new Error(
          `timed out waiting for ${what}; last messages: ${JSON.stringify(this.messages.slice(-3).map((m) => m.msg)).slice(0, 2000)}`,
        );
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, end - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Arrival time of the first alert-carrying message matching `pred`. */
  arrival(pred: (a: AlertView) => boolean): number | undefined {
    for (const { at, msg } of this.messages) if ((msg.alerts ?? []).some(pred)) return at;
    return undefined;
  }
}

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(server.url + path, {
    method,
    headers: authHeaders({ 'Content-Type': 'application/json', ...headers }),
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

let n = 0;
async function events(list: Record<string, unknown>[]): Promise<void> {
  const body = list
    .map((e) => JSON.stringify({ id: `ev${++n}`, site: SITE, ts: Date.now(), ...e }))
    .join('\n');
  const r = await api('POST', '/api/events', body);
  expect(r.status).toBe(200);
  expect(r.json['rejected']).toEqual([]);
}

describe('overflow alert end to end', () => {
  it('raises on /ws/board after the hold-down, is acked through the API, clears after the clear-down', async () => {
    const put = await api('PUT', `/api/sites/${SITE}`, {
      timezone: 'Asia/Shanghai',
      alerts: { sl_below_target: { enabled: false } },
      overflow_rules: [
        {
          id: 'sales-ovf',
          queue: 'sales',
          conditions: { waiting_gte: 3 },
          mode: 'any',
          hold_down_s: HOLD_S,
          clear_down_s: CLEAR_S,
          level: 'orange',
          action: { kind: 'overflow', to: 'backup' },
        },
      ],
    });
    expect(put.status).toBe(200);
    const board = await Board.open(`${server.wsUrl}/ws/board?site=${SITE}`);
    await board.until('the first snapshot', () =>
      board.messages.find((m) => m.msg.type === 'snapshot'),
    );

    const before = Date.now();
    await events([
      { type: 'agent.login', agent: 'a1', team: 't1', queues: ['sales'] },
      { type: 'agent.state', agent: 'a1', state: 'talking' },
      ...[1, 2, 3, 4].map((i) => ({ type: 'call.offered', call: `c${i}`, queue: 'sales' })),
    ]);
    // The reply comes after commit and the live apply, so the conditions hold from no later than now.
    const committed = Date.now();
    const alert = await board.until('the overflow alert on the board', () =>
      [...board.alerts.values()].find((a) => a.kind === 'overflow' && a.queue === 'sales'),
    );
    const seenAt = board.arrival((a) => a.id === alert.id) as number;
    // Not before the hold-down (server and test share the machine's clock) …
    expect(Date.parse(alert.raised_at)).toBeGreaterThanOrEqual(before + HOLD_S * 1000);
    // … and on the board within 1 s of it expiring (acceptance of issue 5).
    expect(seenAt).toBeLessThanOrEqual(committed + HOLD_S * 1000 + 1000);
    expect(alert).toMatchObject({
      level: 'orange',
      acked_at: null,
      cleared_at: null,
      action: 'Overflow queue sales to backup',
    });

    const ack = await api(
      'POST',
      `/api/alerts/${encodeURIComponent(alert.id)}/ack`,
      { note: 'opened backup' },
      { 'X-Floorwatch-User': 'lead.li' },
    );
    expect(ack.status).toBe(200);
    await board.until(
      'the ack on the board',
      () => board.alerts.get(alert.id)?.acked_by === 'lead.li',
    );

    await events([1, 2, 3].map((i) => ({ type: 'call.abandoned', call: `c${i}`, queue: 'sales' })));
    const recovered = Date.now();
    const cleared = await board.until('the clear on the board', () => {
      for (const { msg } of board.messages)
        for (const a of msg.alerts ?? []) if (a.id === alert.id && a.cleared_at !== null) return a;
      return undefined;
    });
    expect(Date.parse(cleared.cleared_at as string) - recovered).toBeGreaterThanOrEqual(
      CLEAR_S * 1000 - 1000,
    );
    expect(board.alerts.has(alert.id)).toBe(false);

    expect(
      (await api('POST', `/api/alerts/${encodeURIComponent(alert.id)}/ack`, { by: 'late' })).status,
    ).toBe(409);
    // The whole lifecycle in GET /api/alerts: raised, acknowledged (who, note), cleared (why).
    const list = await api('GET', `/api/alerts?site=${SITE}&state=all`);
    expect(list.status).toBe(200);
    const stored = (list.json['alerts'] as AlertView[]).find((a) => a.id === alert.id);
    expect(stored).toMatchObject({
      kind: 'overflow',
      queue: 'sales',
      raised_at: alert.raised_at,
      acked_by: 'lead.li',
      ack_note: 'opened backup',
      cleared_at: cleared.cleared_at,
    });
    expect(stored?.acked_at).not.toBeNull();
    expect(stored?.clear_reason).toContain('clear-down');
    expect((await api('GET', `/api/alerts?site=${SITE}`)).json['alerts']).toEqual([]);
    board.ws.close();
  });

  it('an open alert survives a restart under the same id, and is not raised twice', async () => {
    await events([5, 6, 7].map((i) => ({ type: 'call.offered', call: `d${i}`, queue: 'sales' })));
    const board = await Board.open(`${server.wsUrl}/ws/board?site=${SITE}`);
    const open = await board.until('a second overflow alert', () =>
      [...board.alerts.values()].find((a) => a.kind === 'overflow' && a.acked_at === null),
    );
    board.ws.close();
    server = await server.restart();
    const after = await api('GET', `/api/alerts?site=${SITE}`);
    expect((after.json['alerts'] as AlertView[]).map((a) => a.id)).toEqual([open.id]);
    const again = await Board.open(`${server.wsUrl}/ws/board?site=${SITE}`);
    const snap = await again.until('the snapshot after restart', () =>
      again.messages.find((m) => m.msg.type === 'snapshot'),
    );
    expect((snap.msg.alerts ?? []).map((a) => a.id)).toEqual([open.id]);
    const all = (await api('GET', `/api/alerts?site=${SITE}&state=all`)).json[
      'alerts'
    ] as AlertView[];
    expect(all.filter((a) => a.cleared_at === null).map((a) => a.id)).toEqual([open.id]);
    again.ws.close();
  });
});
