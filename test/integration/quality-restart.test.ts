// Service quality across a restart: an open incident comes back with its banner data, work
// orders created days ago (outside today's replay) come back open with their timers, and a
// warning raised before the restart is neither lost nor raised twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, postEvents, startServer, waitFor, type TestServer } from '../helpers/server.js';

const SITE = 'qrestart';
const H = 3_600_000;
let server: TestServer;
let n = 0;
const ev = (ts: number, body: Record<string, unknown>) => ({
  id: `qr-${++n}`,
  ts,
  site: SITE,
  ...body,
});

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
});

interface Live {
  quality?: {
    open_total: number;
    overdue: number;
    incidents: { id: string; level: string; users_affected: number }[];
  };
  alerts: { id: string; kind: string }[];
}
const live = async (): Promise<Live> =>
  (await (await api(server, `/api/live?site=${SITE}`)).json()) as Live;

describe('service quality after a restart', () => {
  it('keeps open incidents, old open orders and their warnings', async () => {
    const now = Date.now();
    const put = await api(server, `/api/sites/${SITE}`, {
      method: 'PUT',
      body: JSON.stringify({ timezone: 'Asia/Shanghai' }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(put.status).toBe(200);
    // Created three days ago, signed and dispatched, never closed: overdue (24 h limit).
    const r = await postEvents(server, [
      ev(now - 72 * H, {
        type: 'ticket.created',
        ticket: 'OLD-1',
        category: 'network',
        class: 'ordinary',
      }),
      ev(now - 72 * H + 60_000, { type: 'ticket.signed', ticket: 'OLD-1' }),
      ev(now - 72 * H + 120_000, {
        type: 'ticket.dispatched',
        ticket: 'OLD-1',
        department: 'network_ops',
      }),
      ev(now - 60_000, { type: 'agent.login', agent: 'a1', team: 'T1' }),
    ]);
    expect(r.body.rejected).toEqual([]);
    const inc = (await (
      await api(server, `/api/sites/${SITE}/incidents`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ users_affected: 6000, services: ['VoLTE'] }),
      })
    ).json()) as { id: string; level: string };
    expect(inc.level).toBe('orange');
    const before = await waitFor(async () => {
      const l = await live();
      return l.alerts.some((a) => a.kind === 'ticket_overdue') &&
        l.alerts.some((a) => a.kind === 'incident')
        ? l
        : null;
    });
    expect(before.quality).toMatchObject({ open_total: 1, overdue: 1 });
    const ids = before.alerts
      .filter((a) => a.kind === 'ticket_overdue' || a.kind === 'incident')
      .map((a) => a.id)
      .sort();

    server = await server.restart();
    const after = await waitFor(async () => {
      const l = await live();
      return l.quality && l.quality.open_total === 1 && l.quality.incidents.length === 1 ? l : null;
    });
    expect(after.quality).toMatchObject({
      open_total: 1,
      overdue: 1,
      incidents: [{ id: inc.id, level: 'orange', users_affected: 6000 }],
    });
    // The same alerts, by id: restored, not raised again.
    expect(
      after.alerts
        .filter((a) => a.kind === 'ticket_overdue' || a.kind === 'incident')
        .map((a) => a.id)
        .sort(),
    ).toEqual(ids);
    const list = (await (await api(server, `/api/sites/${SITE}/incidents`)).json()) as {
      incidents: { id: string }[];
    };
    expect(list.incidents.map((i) => i.id)).toEqual([inc.id]);
  });
});
