// The quality engine keeps its work-order warnings between evaluations until an order event,
// a configuration or the clock can change them. What it returns must always equal what it
// would compute afresh: at each order's own times, at each timer's end (sign, 80% reply,
// due), with extensions and events stamped ahead of the clock, and after a configuration.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { DEFAULT_QUALITY } from '../../ingest/src/core/quality/config.js';
import { QualityEngine } from '../../ingest/src/core/quality/engine.js';
import { ticketWarnings, type TicketWarning } from '../../ingest/src/core/quality/tickets.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { seeded } from '../helpers/random.js';

const C = Date.parse('2026-11-23T01:00:00.000Z');
const s = (sec: number) => C + sec * 1000;

/** What warnings(now) must say, computed with no kept state. */
function fresh(e: QualityEngine, now: number): string[] {
  const cfg = defaultSiteConfig('S');
  const out: TicketWarning[] = [];
  for (const t of e.tickets.values())
    if (t.closed === null || t.closed > now)
      out.push(...ticketWarnings(t, e.config, cfg.timezone, now));
  return out.map(key).sort();
}
const key = (w: TicketWarning) => `${w.ticket.ticket} ${w.kind} ${w.since}`;
const kept = (e: QualityEngine, now: number) => e.warnings(now).map(key).sort();

describe('work-order warnings kept between evaluations', () => {
  it('equal a fresh computation at every timer end and order time', () => {
    const e = new QualityEngine('S', defaultSiteConfig('S'));
    let n = 0;
    const ev = (sec: number, body: Record<string, unknown>): FwEvent =>
      ({ id: `w${++n}`, ts: s(sec), site: 'S', ...body }) as unknown as FwEvent;
    e.apply(
      ev(0, { type: 'ticket.created', ticket: 'T1', category: 'billing', class: 'ordinary' }),
    );
    // Stamped ahead of the clock: signed at +1,000 s, known from +10 s on.
    e.apply(ev(1000, { type: 'ticket.signed', ticket: 'T1' }));
    e.apply(ev(1000, { type: 'ticket.dispatched', ticket: 'T1', department: 'network' }));
    e.apply(
      ev(5, { type: 'ticket.created', ticket: 'T2', category: 'billing', class: 'ordinary' }),
    );
    // Sign by +905 s, reply by +69,125 s (80% of 24 h), due +86,405 s, then a late extension.
    const instants = [0, 10, 899, 900, 904, 905, 906, 999, 1000, 1001, 69_119, 69_120];
    instants.push(69_124, 69_125, 69_126, 70_000, 86_399, 86_400, 86_404, 86_405, 86_406);
    for (const sec of instants) expect(kept(e, s(sec)), `at +${sec} s`).toEqual(fresh(e, s(sec)));
    expect(kept(e, s(906)).length).toBeGreaterThan(0);

    e.apply(ev(70_000, { type: 'ticket.extension_requested', ticket: 'T2', due: s(200_000) }));
    for (const sec of [70_001, 86_405, 86_406, 150_000, 200_000])
      expect(kept(e, s(sec)), `at +${sec} s`).toEqual(fresh(e, s(sec)));
    // An earlier clock than the last evaluation (a replay, a test) is not answered from before.
    expect(kept(e, s(0))).toEqual(fresh(e, s(0)));

    e.apply(ev(150_000, { type: 'ticket.closed', ticket: 'T2' }));
    for (const sec of [149_999, 150_000, 200_000])
      expect(kept(e, s(sec)), `at +${sec} s`).toEqual(fresh(e, s(sec)));
  });

  it('equal a fresh computation over random orders, events and clocks', () => {
    const r = seeded(23);
    const e = new QualityEngine('S', defaultSiteConfig('S'));
    let n = 0;
    const kinds = ['signed', 'dispatched', 'replied', 'closed', 'extension_requested'] as const;
    let now = 0;
    let raised = 0;
    for (let step = 0; step < 400; step++) {
      now += Math.floor(r() * 2000);
      if (r() < 0.3) {
        const t = `T${Math.floor(r() * 20)}`;
        const at = now + Math.floor((r() - 0.7) * 4000);
        const type = r() < 0.3 ? 'created' : kinds[Math.floor(r() * kinds.length)];
        e.apply({
          id: `r${++n}`,
          ts: s(at),
          site: 'S',
          type: `ticket.${type}`,
          ticket: t,
          ...(type === 'created' ? { category: 'billing', class: 'ordinary' } : {}),
          ...(type === 'dispatched' ? { department: 'network' } : {}),
          ...(type === 'extension_requested' ? { due: s(at + 100_000) } : {}),
        } as unknown as FwEvent);
      }
      const want = fresh(e, s(now));
      raised += want.length;
      expect(kept(e, s(now)), `step ${step} at +${now} s`).toEqual(want);
    }
    expect(raised).toBeGreaterThan(0);
  });

  it('follow a configuration that changes the limits', () => {
    const cfg = defaultSiteConfig('S');
    const e = new QualityEngine('S', cfg);
    e.apply({
      id: 'c1',
      ts: s(0),
      site: 'S',
      type: 'ticket.created',
      ticket: 'T1',
      category: 'billing',
      class: 'ordinary',
    } as unknown as FwEvent);
    expect(kept(e, s(600))).toEqual([]);
    e.configure({ ...cfg, quality: { ...DEFAULT_QUALITY, sign_within_s: 300 } });
    expect(kept(e, s(600))).toEqual(fresh(e, s(600)));
    expect(kept(e, s(600))).toEqual([`T1 ticket_unsigned ${s(300)}`]);
  });
});
