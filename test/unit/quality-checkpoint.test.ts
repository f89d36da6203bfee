// The quality engine through a checkpoint (v8 serialise and back, as the file does): the
// orders' remembered due times stay valid for the same configuration (the first evaluation
// after a restart does not compute every order's due time again), and are computed again
// under a changed one; the tile and the figures across two days equal the engine's before.
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { DEFAULT_QUALITY } from '../../ingest/src/core/quality/config.js';
import { QualityEngine } from '../../ingest/src/core/quality/engine.js';
import { defaultSiteConfig, type SiteConfig } from '../../ingest/src/core/site-config.js';

const C = Date.parse('2026-11-23T01:00:00.000Z');
const H = 3_600_000;
let n = 0;
const ev = (ts: number, body: Record<string, unknown>): FwEvent =>
  ({ id: `k${++n}`, ts, site: 'S', ...body }) as unknown as FwEvent;

function lived(cfg: SiteConfig): QualityEngine {
  const e = new QualityEngine('S', cfg);
  for (let i = 0; i < 30; i++) {
    const ts = C - 30 * H + i * 2 * H;
    e.apply(ev(ts, { type: 'agent.login', agent: `a${i % 3}`, team: `t${i % 2}` }));
    e.apply(
      ev(ts, {
        type: 'call.offered',
        call: `c${i}`,
        queue: 'q',
        caller: `h${i % 4}xxxxxxxxxxxxxxx`,
      }),
    );
    e.apply(
      ev(ts + 5000, { type: 'call.answered', call: `c${i}`, queue: 'q', agent: `a${i % 3}` }),
    );
    if (i % 2 === 0)
      e.apply(
        ev(ts + 60_000, {
          type: 'call.survey',
          call: `c${i}`,
          agent: `a${i % 3}`,
          score: 1 + (i % 5),
        }),
      );
    if (i % 5 === 0)
      e.apply(
        ev(ts, {
          type: 'ticket.created',
          ticket: `T${i}`,
          category: 'billing',
          class: i % 2 ? 'hard' : 'ordinary',
          caller: `h${i % 4}xxxxxxxxxxxxxxx`,
        }),
      );
  }
  return e;
}

const roundTrip = (e: QualityEngine, cfg: SiteConfig): QualityEngine => {
  const b = new QualityEngine('S', cfg);
  b.importState(
    deserialize(serialize(e.exportState())) as ReturnType<QualityEngine['exportState']>,
  );
  return b;
};

describe('quality engine checkpoint', () => {
  const cfg: SiteConfig = { ...defaultSiteConfig('S'), timezone: 'Asia/Shanghai' };
  const now = C + 31 * H;

  it('keeps the orders remembered due times for the same configuration', () => {
    const a = lived(cfg);
    const tile = a.live(now);
    const b = roundTrip(a, cfg);
    const memos = [...b.tickets.values()].map((t) => t.memo?.q);
    expect(memos.length).toBeGreaterThan(0);
    for (const q of memos) expect(q).toBe(b.config);
    expect(b.live(now)).toEqual(tile);
    expect(b.figures('team', now - 2 * 24 * H, now + H, now)).toEqual(
      a.figures('team', now - 2 * 24 * H, now + H, now),
    );
  });

  it('computes them again under a changed configuration', () => {
    const a = lived(cfg);
    a.live(now);
    const other: SiteConfig = { ...cfg, quality: { ...DEFAULT_QUALITY, default_limit_h: 48 } };
    const b = roundTrip(a, other);
    for (const t of b.tickets.values()) expect(t.memo?.q).not.toBe(b.config);
    const fresh = lived(other);
    expect(b.live(now)).toEqual(fresh.live(now));
  });
});
