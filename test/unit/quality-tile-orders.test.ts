// The quality tile lists the 12 open work orders nearest their limit (by due time, then id)
// out of however many are open; the counts still cover every order.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { QualityEngine } from '../../ingest/src/core/quality/engine.js';
import { ticketState, ticketTimes, type TicketRec } from '../../ingest/src/core/quality/tickets.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { seeded } from '../helpers/random.js';

const C = Date.parse('2026-11-23T01:00:00.000Z');
const s = (sec: number) => C + sec * 1000;

describe('quality tile orders', () => {
  it('are the 12 open orders due first, ties by id, out of 300', () => {
    const r = seeded(7);
    const cfg = defaultSiteConfig('S');
    const e = new QualityEngine('S', cfg);
    const classes = ['ordinary', 'hard', 'urgent'];
    let n = 0;
    const ev = (sec: number, body: Record<string, unknown>): FwEvent =>
      ({ id: `o${++n}`, ts: s(sec), site: 'S', ...body }) as unknown as FwEvent;
    for (let i = 0; i < 300; i++) {
      const t = `T${String(Math.floor(r() * 1000)).padStart(3, '0')}-${i}`;
      // Minutes apart or the same second: ties on the due time are common.
      const at = Math.floor(r() * 40) * 600 + (r() < 0.5 ? 0 : Math.floor(r() * 59));
      e.apply(
        ev(at, { type: 'ticket.created', ticket: t, category: 'billing', class: classes[i % 3] }),
      );
      if (r() < 0.3) e.apply(ev(at + 100, { type: 'ticket.closed', ticket: t }));
    }
    const now = s(30_000);
    const open = [...e.tickets.values()].filter(
      (t) => t.created !== null && t.created <= now && ticketState(t, now) !== 'closed',
    );
    const want = open
      .map((t) => {
        const due = ticketTimes(
          t as TicketRec & { created: number },
          e.config,
          cfg.timezone,
          now,
        ).due;
        return { ticket: t.ticket, due, left: Math.floor((due - now) / 60_000) * 60 };
      })
      .sort((a, b) => a.due - b.due || (a.ticket < b.ticket ? -1 : 1))
      .slice(0, 12);
    const live = e.live(now);
    expect(live.orders.map((o) => [o.ticket, o.time_left_s])).toEqual(
      want.map((w) => [w.ticket, w.left]),
    );
    expect(live.open_total).toBe(open.length);
    expect(open.length).toBeGreaterThan(100);
    expect(new Set(want.map((w) => w.due)).size).toBeLessThan(12);
  });
});
