// Overflow rules through the alert engine with injected time: each condition, all/any,
// hold-down, clear-down (hysteresis), escalation, ack, stable keys and deterministic ids.
import { describe, expect, it } from 'vitest';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import { registerAlertConfigValidators } from '../../ingest/src/core/alerts/config.js';
import type { AlertChange, SiteView } from '../../ingest/src/core/modules.js';
import { defaultSiteConfig, type SiteConfig } from '../../ingest/src/core/site-config.js';
import { parseSiteConfig } from '../../ingest/src/core/site-config-validate.js';
import type { QueueFigures, QueueLive } from '../../ingest/src/core/snapshot.js';

registerAlertConfigValidators();

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

function figures(): QueueFigures {
  return {
    offered: 0,
    answered: 0,
    answered_within_threshold: 0,
    abandoned: 0,
    short_abandoned: 0,
    service_level: null,
    asa_s: null,
    aht_s: null,
    answer_rate: null,
    occupancy: null,
    explain: {},
  };
}

function queue(name: string, waiting: number, longest = 0, ready = 3): QueueLive {
  return {
    queue: name,
    waiting,
    longest_wait_s: longest,
    ready_agents: ready,
    agents_by_state: {},
    threshold_s: 20,
    target: 0.8,
    sl_variant: 'default',
    interval: figures(),
    today: figures(),
  };
}

interface Load {
  waiting?: number;
  longest?: number;
  ready?: number;
  sl?: number | null;
}

function siteView(cfg: SiteConfig, now: number, load: Load = {}): SiteView {
  return {
    site: cfg.site,
    now,
    config: cfg,
    queues: [queue('sales', load.waiting ?? 0, load.longest ?? 0, load.ready ?? 3)],
    agents: [],
    teams: [],
    lastEventAt: now,
    rollingServiceLevel: (_q, _w) => ({
      value: load.sl ?? null,
      explain: { formula: 'sl_default', text: '', numerator: 7, denominator: 10 },
    }),
  };
}

function config(rule: Record<string, unknown>): SiteConfig {
  return parseSiteConfig('s1', {
    timezone: 'Asia/Shanghai',
    alerts: { sl_below_target: { enabled: false } },
    overflow_rules: [
      {
        id: 'r1',
        queue: 'sales',
        action: { kind: 'overflow', to: 'backup' },
        level: 'orange',
        ...rule,
      },
    ],
  });
}

const kinds = (cs: AlertChange[]) => cs.map((c) => `${c.kind}:${c.alert.kind}`);

describe('overflow rule conditions (hold-down 0)', () => {
  const cases: { name: string; cond: Record<string, unknown>; fire: Load; calm: Load }[] = [
    { name: 'waiting ≥ N', cond: { waiting_gte: 10 }, fire: { waiting: 10 }, calm: { waiting: 9 } },
    {
      name: 'longest wait ≥ S',
      cond: { longest_wait_gte_s: 60 },
      fire: { waiting: 1, longest: 60 },
      calm: { waiting: 1, longest: 59 },
    },
    {
      name: 'rolling SL < P',
      cond: { rolling_sl_lt: { window_min: 15, below: 0.7 } },
      fire: { sl: 0.69 },
      calm: { sl: 0.7 },
    },
    {
      name: 'rolling SL with no calls does not fire',
      cond: { rolling_sl_lt: { window_min: 15, below: 0.7 } },
      fire: { sl: 0.1 },
      calm: { sl: null },
    },
    {
      name: 'waiting with no ready agent',
      cond: { waiting_no_ready: true },
      fire: { waiting: 1, ready: 0 },
      calm: { waiting: 0, ready: 0 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cfg = config({ conditions: c.cond, hold_down_s: 0, clear_down_s: 0 });
      const calm = createAlertEngine('s1', cfg);
      expect(calm.evaluate(siteView(cfg, T0, c.calm))).toEqual([]);
      expect(calm.active()).toEqual([]);
      const hot = createAlertEngine('s1', cfg);
      const changes = hot.evaluate(siteView(cfg, T0, c.fire));
      expect(kinds(changes)).toEqual(['raised:overflow']);
      const a = changes[0]!.alert;
      expect(a).toMatchObject({
        id: `s1:overflow:r1:${T0}`,
        kind: 'overflow',
        level: 'orange',
        queue: 'sales',
        rule: 'r1',
        acked_at: null,
        cleared_at: null,
      });
      expect(a.raised_at).toBe('2026-11-23T17:00:00.000+08:00');
      expect(a.action).toBe('Overflow queue sales to backup');
      expect(a.action_zh).toContain('溢出至 backup');
      expect(a.action_detail).toEqual({ kind: 'overflow', queue: 'sales', to: 'backup' });
    });
  }

  it('all needs every condition, any needs one', () => {
    const load = { waiting: 12, longest: 10 };
    const all = config({
      conditions: { waiting_gte: 10, longest_wait_gte_s: 60 },
      mode: 'all',
      hold_down_s: 0,
    });
    expect(createAlertEngine('s1', all).evaluate(siteView(all, T0, load))).toEqual([]);
    const any = config({
      conditions: { waiting_gte: 10, longest_wait_gte_s: 60 },
      mode: 'any',
      hold_down_s: 0,
    });
    const ch = createAlertEngine('s1', any).evaluate(siteView(any, T0, load));
    expect(kinds(ch)).toEqual(['raised:overflow']);
    // The message names the condition that holds, with its figures.
    expect(ch[0]!.alert.message).toContain('12 calls waiting');
    expect(ch[0]!.alert.message).not.toContain('longest wait');
  });

  it('merge action (合大组) is described in both languages and as data', () => {
    const cfg = config({
      conditions: { waiting_gte: 1 },
      hold_down_s: 0,
      action: { kind: 'merge', groups: ['g1', 'g2'], into: 'big' },
    });
    const a = createAlertEngine('s1', cfg).evaluate(siteView(cfg, T0, { waiting: 3 }))[0]!.alert;
    expect(a.action).toBe('Merge groups g1, g2 into big');
    expect(a.action_zh).toBe('合大组：g1、g2 合并为big');
    expect(a.action_detail).toEqual({
      kind: 'merge',
      queue: 'sales',
      groups: ['g1', 'g2'],
      into: 'big',
    });
  });
});

describe('hold-down and clear-down', () => {
  const cfg = config({ conditions: { waiting_gte: 10 }, hold_down_s: 30, clear_down_s: 60 });

  it('fires only after the conditions hold for the hold-down, unbroken', () => {
    const e = createAlertEngine('s1', cfg);
    expect(e.evaluate(siteView(cfg, T0, { waiting: 10 }))).toEqual([]);
    expect(e.evaluate(siteView(cfg, T0 + 29_999, { waiting: 15 }))).toEqual([]);
    // One false sample restarts the hold-down.
    expect(e.evaluate(siteView(cfg, T0 + 30_000, { waiting: 9 }))).toEqual([]);
    expect(e.evaluate(siteView(cfg, T0 + 31_000, { waiting: 11 }))).toEqual([]);
    expect(e.evaluate(siteView(cfg, T0 + 60_999, { waiting: 11 }))).toEqual([]);
    const ch = e.evaluate(siteView(cfg, T0 + 61_000, { waiting: 11 }));
    expect(kinds(ch)).toEqual(['raised:overflow']);
    expect(ch[0]!.alert.id).toBe(`s1:overflow:r1:${T0 + 61_000}`);
  });

  it('clears only after the conditions are false for the clear-down, then a new firing gets a new id', () => {
    const e = createAlertEngine('s1', cfg);
    e.evaluate(siteView(cfg, T0, { waiting: 20 }));
    const raised = e.evaluate(siteView(cfg, T0 + 30_000, { waiting: 20 }));
    expect(kinds(raised)).toEqual(['raised:overflow']);
    const id = raised[0]!.alert.id;
    expect(e.evaluate(siteView(cfg, T0 + 40_000, { waiting: 2 }))).toEqual([]);
    // Back above within the clear-down: the clear-down restarts.
    expect(e.evaluate(siteView(cfg, T0 + 90_000, { waiting: 12 }))).toEqual([]);
    expect(e.evaluate(siteView(cfg, T0 + 100_000, { waiting: 2 }))).toEqual([]);
    expect(e.evaluate(siteView(cfg, T0 + 159_999, { waiting: 2 }))).toEqual([]);
    const cleared = e.evaluate(siteView(cfg, T0 + 160_000, { waiting: 2 }));
    expect(kinds(cleared)).toEqual(['cleared:overflow']);
    expect(cleared[0]!.alert).toMatchObject({ id, cleared_at: '2026-11-23T17:02:40.000+08:00' });
    expect(cleared[0]!.alert.clear_reason).toContain('clear-down');
    expect(e.active()).toEqual([]);
    e.evaluate(siteView(cfg, T0 + 200_000, { waiting: 20 }));
    const again = e.evaluate(siteView(cfg, T0 + 230_000, { waiting: 20 }));
    expect(again[0]!.alert.id).toBe(`s1:overflow:r1:${T0 + 230_000}`);
    expect(again[0]!.alert.id).not.toBe(id);
  });

  it('nextDue() names when the pending hold-down, clear-down or escalation falls due', () => {
    const esc = config({
      conditions: { waiting_gte: 10 },
      hold_down_s: 30,
      clear_down_s: 60,
      escalation: { after_min: 10, level: 'red' },
    });
    const e = createAlertEngine('s1', esc);
    expect(e.nextDue!()).toBeNull();
    e.evaluate(siteView(esc, T0, { waiting: 12 }));
    expect(e.nextDue!()).toBe(T0 + 30_000);
    e.evaluate(siteView(esc, T0 + 30_000, { waiting: 12 }));
    expect(e.nextDue!()).toBe(T0 + 30_000 + 600_000);
    e.evaluate(siteView(esc, T0 + 40_000, { waiting: 2 }));
    expect(e.nextDue!()).toBe(T0 + 100_000);
  });

  it('a noisy waiting-calls signal crossing the threshold many times raises ONE alert', () => {
    const noisy = config({ conditions: { waiting_gte: 10 }, hold_down_s: 10, clear_down_s: 60 });
    const e = createAlertEngine('s1', noisy);
    const all: AlertChange[] = [];
    let crossings = 0;
    let prev = false;
    // 20 minutes sampled every second: a load hovering around 10 (±3), first a steady rise
    // so the hold-down can pass, then noise that dips below for up to 20 s at a time.
    for (let s = 0; s < 1200; s++) {
      const base = s < 60 ? 12 : 10;
      const wiggle = s < 60 ? 0 : Math.round(3 * Math.sin(s / 3) + 2 * Math.sin(s / 11));
      const waiting = Math.max(0, base + wiggle);
      const above = waiting >= 10;
      if (above !== prev) crossings++;
      prev = above;
      all.push(...e.evaluate(siteView(noisy, T0 + s * 1000, { waiting })));
    }
    expect(crossings).toBeGreaterThan(50);
    expect(kinds(all)).toEqual(['raised:overflow']);
    expect(e.active()).toHaveLength(1);
    // And it clears once the signal stays below for the clear-down.
    for (let s = 1200; s < 1262; s++)
      all.push(...e.evaluate(siteView(noisy, T0 + s * 1000, { waiting: 3 })));
    expect(kinds(all)).toEqual(['raised:overflow', 'cleared:overflow']);
  });
});

describe('escalation and acknowledgement', () => {
  const cfg = config({
    conditions: { waiting_gte: 5 },
    hold_down_s: 0,
    level: 'yellow',
    escalation: { after_min: 5, level: 'red' },
  });

  it('raises the level when unacknowledged after M minutes, once', () => {
    const e = createAlertEngine('s1', cfg);
    const id = e.evaluate(siteView(cfg, T0, { waiting: 9 }))[0]!.alert.id;
    expect(e.evaluate(siteView(cfg, T0 + 299_999, { waiting: 9 }))).toEqual([]);
    const esc = e.evaluate(siteView(cfg, T0 + 300_000, { waiting: 9 }));
    expect(kinds(esc)).toEqual(['escalated:overflow']);
    expect(esc[0]!.alert).toMatchObject({
      id,
      level: 'red',
      escalated_at: '2026-11-23T17:05:00.000+08:00',
    });
    expect(e.evaluate(siteView(cfg, T0 + 400_000, { waiting: 9 }))).toEqual([]);
  });

  it('an acknowledged alert does not escalate, keeps who/when/note, and still clears', () => {
    const e = createAlertEngine('s1', cfg);
    const id = e.evaluate(siteView(cfg, T0, { waiting: 9 }))[0]!.alert.id;
    const ack = e.ack(id, 'lead.wang', 'opened backup group', T0 + 60_000);
    expect(ack?.kind).toBe('acked');
    expect(ack?.alert).toMatchObject({
      acked_by: 'lead.wang',
      ack_note: 'opened backup group',
      acked_at: '2026-11-23T17:01:00.000+08:00',
    });
    expect(e.ack(id, 'someone.else', null, T0 + 61_000)).toBeNull();
    expect(e.evaluate(siteView(cfg, T0 + 600_000, { waiting: 9 }))).toEqual([]);
    // Default clear-down is 60 s: false at 660 s starts it, 720 s ends it.
    expect(e.evaluate(siteView(cfg, T0 + 660_000, { waiting: 0 }))).toEqual([]);
    const cleared = e.evaluate(siteView(cfg, T0 + 720_000, { waiting: 0 }));
    expect(kinds(cleared)).toEqual(['cleared:overflow']);
    expect(cleared[0]!.alert).toMatchObject({ acked_by: 'lead.wang', level: 'yellow' });
    expect(e.get(id)?.cleared_at).not.toBeNull();
    expect(e.ack(id, 'late', null, T0 + 730_000)).toBeNull();
    expect(e.ack('s1:overflow:nope:1', 'x', null, T0)).toBeNull();
  });
});

describe('configuration, restart and external alerts', () => {
  it('removing the rule clears its alert at the next evaluation', () => {
    const cfg = config({ conditions: { waiting_gte: 5 }, hold_down_s: 0 });
    const e = createAlertEngine('s1', cfg);
    e.evaluate(siteView(cfg, T0, { waiting: 9 }));
    const bare = defaultSiteConfig('s1');
    e.configure(bare);
    const ch = e.evaluate(siteView(bare, T0 + 1000, { waiting: 9 }));
    expect(kinds(ch)).toEqual(['cleared:overflow']);
    expect(ch[0]!.alert.clear_reason).toContain('removed');
  });

  it('restored active alerts are not raised again, and clear after the clear-down', () => {
    const cfg = config({ conditions: { waiting_gte: 5 }, hold_down_s: 0, clear_down_s: 30 });
    const first = createAlertEngine('s1', cfg);
    const raised = first.evaluate(siteView(cfg, T0, { waiting: 9 }))[0]!.alert;
    first.ack(raised.id, 'lead', null, T0 + 1000);
    const stored = first.active();
    const snapshotBefore = structuredClone(stored);
    const second = createAlertEngine('s1', cfg);
    second.restore(stored);
    expect(stored).toEqual(snapshotBefore); // input not mutated
    expect(second.active()).toEqual(stored);
    expect(second.evaluate(siteView(cfg, T0 + 5000, { waiting: 9 }))).toEqual([]);
    expect(second.evaluate(siteView(cfg, T0 + 6000, { waiting: 0 }))).toEqual([]);
    const ch = second.evaluate(siteView(cfg, T0 + 36_000, { waiting: 0 }));
    expect(kinds(ch)).toEqual(['cleared:overflow']);
    expect(ch[0]!.alert.id).toBe(raised.id);
  });

  it('an external alert (webhook failure) is raised once per key and resolved explicitly', () => {
    const cfg = config({ conditions: { waiting_gte: 5 } });
    const e = createAlertEngine('s1', cfg);
    const input = {
      kind: 'webhook_failed',
      key: 'r1',
      level: 'orange' as const,
      rule: 'r1',
      message: 'webhook failed',
    };
    expect(e.raise(input, T0)?.alert.id).toBe(`s1:webhook_failed:r1:${T0}`);
    expect(e.raise(input, T0 + 5)).toBeNull();
    // Evaluation never clears it on its own.
    expect(e.evaluate(siteView(cfg, T0 + 999_000))).toEqual([]);
    expect(e.resolve('webhook_failed', 'r1', 'delivered later', T0 + 1_000_000)?.kind).toBe(
      'cleared',
    );
    expect(e.active()).toEqual([]);
  });
});
