// Work-order timers through the real site runtime and alert engine, with `now` injected:
// each path (signed in time or late, replied before or after 80%, extension early or late,
// closed, followed up) raises its warning at the exact second of event time and clears it
// when resolved. Ordinary complaint, 24 h: sign by +900 s, reply by +69,120 s (80%), due +86,400 s.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../../ingest/src/core/contract.js';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import type { AlertChange } from '../../ingest/src/core/modules.js';
import { DEFAULT_QUALITY } from '../../ingest/src/core/quality/config.js';
import { validateQuality } from '../../ingest/src/core/quality/config-validate.js';
import { QualityEngine } from '../../ingest/src/core/quality/engine.js';
import { addWorkingDays, dueTime } from '../../ingest/src/core/quality/limits.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { defaultSiteConfig, type SiteConfig } from '../../ingest/src/core/site-config.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';

const C = Date.parse('2026-11-23T01:00:00.000Z');
const s = (sec: number) => C + sec * 1000;
const iso = (sec: number) => new Date(s(sec)).toISOString();
let n = 0;
const ev = (sec: number, body: Record<string, unknown>): FwEvent =>
  ({ id: `q${++n}`, ts: s(sec), site: 'S', ...body }) as unknown as FwEvent;
const created = (sec: number, t: string, extra: Record<string, unknown> = {}) =>
  ev(sec, { type: 'ticket.created', ticket: t, category: 'billing', class: 'ordinary', ...extra });
const signed = (sec: number, t: string) => ev(sec, { type: 'ticket.signed', ticket: t });
const dispatched = (sec: number, t: string) =>
  ev(sec, { type: 'ticket.dispatched', ticket: t, department: 'network' });
const replied = (sec: number, t: string) => ev(sec, { type: 'ticket.replied', ticket: t });
const extension = (sec: number, t: string, dueSec: number) =>
  ev(sec, { type: 'ticket.extension_requested', ticket: t, due: s(dueSec) });
const closed = (sec: number, t: string) => ev(sec, { type: 'ticket.closed', ticket: t });
const followed = (sec: number, t: string) => ev(sec, { type: 'ticket.followed_up', ticket: t });

function runtime(cfg: SiteConfig = defaultSiteConfig('S')): SiteRuntime {
  return new SiteRuntime('S', cfg, {
    queue: createQueueEngine('S', cfg, { latenessMs: 10_000 }),
    alerts: createAlertEngine('S', cfg),
    quality: new QualityEngine('S', cfg),
  });
}

const kinds = (changes: AlertChange[], change: AlertChange['kind']) =>
  changes
    .filter((c) => c.kind === change)
    .map((c) => c.alert.kind)
    .sort();
const activeKinds = (rt: SiteRuntime, t: string) =>
  (rt.modules.alerts?.active() ?? [])
    .filter((a) => a.id.includes(`:${t}:`))
    .map((a) => a.kind)
    .sort();

describe('work-order timers (工单时限)', () => {
  it('signed and dispatched in time: no warning at 15 min', () => {
    const rt = runtime();
    rt.apply([created(0, 'T1')], s(0));
    rt.apply([signed(600, 'T1'), dispatched(700, 'T1')], s(700));
    expect(kinds(rt.tick(s(900)), 'raised')).toEqual([]);
    expect(rt.snapshot(s(900)).quality?.open).toEqual({
      new: 0,
      signed: 0,
      dispatched: 1,
      replied: 0,
    });
  });

  it('not signed by 15 min: warns at second 900, not 899; clears when signed and dispatched', () => {
    const rt = runtime();
    rt.apply([created(0, 'T2')], s(0));
    expect(kinds(rt.tick(s(899)), 'raised')).toEqual([]);
    const raised = rt.tick(s(900)).filter((c) => c.kind === 'raised');
    expect(raised.map((c) => [c.alert.kind, c.alert.raised_at, c.alert.level])).toEqual([
      ['ticket_unsigned', '2026-11-23T01:15:00.000Z', 'yellow'],
    ]);
    expect(raised[0]?.alert.message_zh).toContain('未签单派单');
    // Site time to the minute, no ISO offset; the category by id when none is configured.
    expect(raised[0]?.alert.message).toBe(
      'Work order T2 (billing) not signed and dispatched within 15 min of creation (since 2026-11-23 01:15)',
    );
    // Signed but not yet dispatched: the warning stands.
    expect(kinds(rt.apply([signed(1000, 'T2')], s(1000)), 'cleared')).toEqual([]);
    const cleared = rt.apply([dispatched(1100, 'T2')], s(1100)).filter((c) => c.kind === 'cleared');
    expect(cleared.map((c) => [c.alert.kind, c.alert.cleared_at])).toEqual([
      ['ticket_unsigned', iso(1100)],
    ]);
  });

  it('replied before 80% of the limit: no reply warning', () => {
    const rt = runtime();
    rt.apply([created(0, 'T3'), signed(60, 'T3'), dispatched(60, 'T3')], s(60));
    rt.apply([replied(69_119, 'T3')], s(69_119));
    expect(kinds(rt.tick(s(69_120)), 'raised')).toEqual([]);
    rt.apply([closed(80_000, 'T3')], s(80_000));
    expect(kinds(rt.tick(s(86_400)), 'raised')).toEqual([]);
  });

  it('no reply by 80%: warns at second 69,120 and clears on the reply', () => {
    const rt = runtime();
    rt.apply([created(0, 'T4'), signed(60, 'T4'), dispatched(60, 'T4')], s(60));
    expect(kinds(rt.tick(s(69_119)), 'raised')).toEqual([]);
    const raised = rt.tick(s(69_120)).filter((c) => c.kind === 'raised');
    expect(raised.map((c) => [c.alert.kind, c.alert.raised_at])).toEqual([
      ['ticket_reply_due', iso(69_120)],
    ]);
    const cleared = rt
      .apply([replied(70_000, 'T4')], s(70_000))
      .filter((c) => c.kind === 'cleared');
    expect(cleared.map((c) => [c.alert.kind, c.alert.cleared_at])).toEqual([
      ['ticket_reply_due', iso(70_000)],
    ]);
  });

  it('extension asked before 80% moves the due time and the reply point with it', () => {
    const rt = runtime();
    rt.apply([created(0, 'T5'), signed(60, 'T5'), dispatched(60, 'T5')], s(60));
    // New due +48 h: reply point becomes 0.8 × 172,800 = 138,240 s.
    expect(kinds(rt.apply([extension(60_000, 'T5', 172_800)], s(60_000)), 'raised')).toEqual([]);
    expect(kinds(rt.tick(s(69_120)), 'raised')).toEqual([]);
    expect(kinds(rt.tick(s(86_400)), 'raised')).toEqual([]);
    expect(kinds(rt.tick(s(138_239)), 'raised')).toEqual([]);
    expect(
      rt
        .tick(s(138_240))
        .filter((c) => c.kind === 'raised')
        .map((c) => [c.alert.kind, c.alert.raised_at]),
    ).toEqual([['ticket_reply_due', iso(138_240)]]);
    expect(kinds(rt.tick(s(172_799)), 'raised')).toEqual([]);
    expect(
      rt
        .tick(s(172_800))
        .filter((c) => c.kind === 'raised')
        .map((c) => [c.alert.kind, c.alert.raised_at]),
    ).toEqual([['ticket_overdue', iso(172_800)]]);
    expect(activeKinds(rt, 'T5')).toEqual(['ticket_overdue', 'ticket_reply_due']);
    expect(kinds(rt.apply([closed(173_000, 'T5')], s(173_000)), 'cleared')).toEqual([
      'ticket_overdue',
      'ticket_reply_due',
    ]);
    expect(activeKinds(rt, 'T5')).toEqual([]);
  });

  it('extension asked after 80%: warns at the request second, the due time stands, all clear on close', () => {
    const rt = runtime();
    rt.apply(
      [created(0, 'T6'), signed(60, 'T6'), dispatched(60, 'T6'), replied(600, 'T6')],
      s(600),
    );
    const late = rt
      .apply([extension(70_000, 'T6', 172_800)], s(70_000))
      .filter((c) => c.kind === 'raised');
    expect(late.map((c) => [c.alert.kind, c.alert.raised_at, c.alert.level])).toEqual([
      ['ticket_late_extension', iso(70_000), 'orange'],
    ]);
    expect(kinds(rt.tick(s(86_399)), 'raised')).toEqual([]);
    const overdue = rt.tick(s(86_400)).filter((c) => c.kind === 'raised');
    expect(overdue.map((c) => [c.alert.kind, c.alert.raised_at, c.alert.level])).toEqual([
      ['ticket_overdue', iso(86_400), 'red'],
    ]);
    expect(kinds(rt.apply([closed(90_000, 'T6')], s(90_000)), 'cleared')).toEqual([
      'ticket_late_extension',
      'ticket_overdue',
    ]);
  });

  it('closed and followed up: the day figures count it on time and followed up', () => {
    const rt = runtime();
    rt.apply(
      [
        created(0, 'T7'),
        signed(60, 'T7'),
        dispatched(60, 'T7'),
        replied(3_600, 'T7'),
        closed(7_200, 'T7'),
      ],
      s(7_200),
    );
    let q = rt.snapshot(s(7_300)).quality;
    expect(q?.open_total).toBe(0);
    expect(q?.today.on_time).toMatchObject({
      value: 1,
      target: 1,
      explain: { numerator: 1, denominator: 1 },
    });
    expect(q?.today.follow_up).toMatchObject({
      value: 0,
      explain: { numerator: 0, denominator: 1 },
    });
    rt.apply([followed(9_000, 'T7')], s(9_000));
    q = rt.snapshot(s(9_000)).quality;
    expect(q?.today.follow_up).toMatchObject({
      value: 1,
      explain: { numerator: 1, denominator: 1 },
    });
    expect(kinds(rt.tick(s(90_000)), 'raised')).toEqual([]);
  });

  it('a site can switch a warning source off or re-level it', () => {
    const cfg = defaultSiteConfig('S');
    const errors: string[] = [];
    cfg.quality = validateQuality(
      { sources: { ticket_unsigned: { enabled: false }, ticket_overdue: { level: 'orange' } } },
      'quality',
      errors,
      DEFAULT_QUALITY,
    );
    expect(errors).toEqual([]);
    const rt = runtime(cfg);
    rt.apply([created(0, 'T8')], s(0));
    expect(kinds(rt.tick(s(900)), 'raised')).toEqual([]);
    expect(
      rt
        .tick(s(86_400))
        .filter((c) => c.kind === 'raised')
        .map((c) => [c.alert.kind, c.alert.level]),
    ).toEqual([
      ['ticket_reply_due', 'yellow'],
      ['ticket_overdue', 'orange'],
    ]);
  });

  it('re-applying the same events (hydrate, then replay) changes nothing', () => {
    const q = new QualityEngine('S', defaultSiteConfig('S'));
    const batch = [
      created(0, 'T9', { caller: 'h_caller_0000000001' }),
      signed(60, 'T9'),
      extension(100, 'T9', 100_000),
      closed(500, 'T9'),
    ];
    for (const e of batch) q.apply(e);
    const once = JSON.stringify(q.figures('site', s(-86_400), s(86_400), s(1_000)));
    for (const e of batch) q.apply(e);
    expect(JSON.stringify(q.figures('site', s(-86_400), s(86_400), s(1_000)))).toBe(once);
  });
});

describe('time limits', () => {
  const zone = 'Asia/Shanghai';
  const at = (local: string) => Date.parse(`${local}+08:00`);
  it.each([
    [
      'ordinary: 24 h',
      { class: 'ordinary', customer_class: '', category: 'billing' },
      '2026-11-20T10:00:00',
      '2026-11-21T10:00:00',
    ],
    [
      'hard: 3 working days, Friday to Wednesday',
      { class: 'hard', customer_class: '', category: 'network' },
      '2026-11-20T10:00:00',
      '2026-11-25T10:00:00',
    ],
    [
      'hard from Saturday: Wednesday',
      { class: 'hard', customer_class: '', category: 'network' },
      '2026-11-21T10:00:00',
      '2026-11-25T10:00:00',
    ],
    [
      'urgent: 4 h',
      { class: 'urgent', customer_class: '', category: 'network' },
      '2026-11-20T10:00:00',
      '2026-11-20T14:00:00',
    ],
    [
      'VIP ordinary: equally specific rules, the shorter (12 h) wins',
      { class: 'ordinary', customer_class: 'vip', category: 'billing' },
      '2026-11-20T10:00:00',
      '2026-11-20T22:00:00',
    ],
    [
      'unknown class: the default 24 h',
      { class: 'other', customer_class: '', category: 'billing' },
      '2026-11-20T10:00:00',
      '2026-11-21T10:00:00',
    ],
  ])('%s', (_name, keys, from, due) => {
    expect(new Date(dueTime(at(from), keys, DEFAULT_QUALITY, zone)).toISOString()).toBe(
      new Date(at(due)).toISOString(),
    );
  });

  it('a category rule for a class is more specific than the class alone', () => {
    const q = {
      ...DEFAULT_QUALITY,
      limits: [...DEFAULT_QUALITY.limits, { class: 'hard', category: 'sp', hours: 48 }],
    };
    expect(
      dueTime(
        at('2026-11-20T10:00:00'),
        { class: 'hard', customer_class: '', category: 'sp' },
        q,
        zone,
      ),
    ).toBe(at('2026-11-22T10:00:00'));
  });

  it('working days keep the local time across a DST change', () => {
    // Europe/Berlin leaves DST on Sunday 2026-10-25: Friday 10:00 + 1 working day is Monday 10:00 local.
    expect(
      new Date(
        addWorkingDays(Date.parse('2026-10-23T10:00:00+02:00'), 1, 'Europe/Berlin'),
      ).toISOString(),
    ).toBe('2026-10-26T09:00:00.000Z');
  });
});

describe('work-order alert text', () => {
  it('names the category in the alert’s language from quality.categories', () => {
    const cfg = defaultSiteConfig('S');
    cfg.quality = {
      ...DEFAULT_QUALITY,
      categories: { billing: { label: 'Billing', label_zh: '账务' } },
    };
    const rt = runtime(cfg);
    rt.apply([created(0, 'T9')], s(0));
    const a = rt.tick(s(900)).find((c) => c.kind === 'raised')?.alert;
    expect(a?.message).toContain('Work order T9 (Billing) not signed');
    expect(a?.message_zh).toBe('工单 T9（账务）创建后 15 分钟 内未签单派单（自 2026-11-23 01:15）');
  });
});
