// The non-rule alert sources with injected time: SL below target, adherence, attendance at
// its check time, team login conformance, stale feed and ghost agents.
import { describe, expect, it } from 'vitest';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import { registerAlertConfigValidators } from '../../ingest/src/core/alerts/config.js';
import { pastCheckTime } from '../../ingest/src/core/alerts/sources.js';
import type { AlertChange, SiteView } from '../../ingest/src/core/modules.js';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { parseSiteConfig } from '../../ingest/src/core/site-config-validate.js';
import type {
  AgentLive,
  QueueFigures,
  QueueLive,
  TeamLive,
} from '../../ingest/src/core/snapshot.js';

registerAlertConfigValidators();

// 09:00 in Shanghai is 01:00 UTC.
const T0 = Date.UTC(2026, 10, 23, 1, 0, 0);
const ex = (n: number, d: number) => ({ formula: 'x', text: '', numerator: n, denominator: d });

function figures(over: Partial<QueueFigures> = {}): QueueFigures {
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
    ...over,
  };
}

function queue(name: string, interval: QueueFigures): QueueLive {
  return {
    queue: name,
    waiting: 0,
    longest_wait_s: 0,
    ready_agents: 2,
    agents_by_state: {},
    threshold_s: 20,
    target: 0.8,
    sl_variant: 'default',
    interval,
    today: figures(),
  };
}

function agent(id: string, over: Partial<AgentLive> = {}): AgentLive {
  return {
    agent: id,
    name: id,
    team: 't1',
    state: 'ready',
    reason: null,
    since: '',
    stale: false,
    current_call: null,
    calls_today: 0,
    adherence: 'in',
    out_of_adherence_s: 0,
    scheduled_activity: 'work',
    ...over,
  };
}

function team(name: string, over: Partial<TeamLive> = {}): TeamLive {
  return {
    team: name,
    conformance: null,
    conformance_explain: ex(0, 0),
    attendance: null,
    attendance_explain: ex(0, 0),
    missing: [],
    ...over,
  };
}

function view(cfg: SiteConfig, now: number, parts: Partial<SiteView> = {}): SiteView {
  return {
    site: 's1',
    now,
    config: cfg,
    queues: [],
    agents: [],
    teams: [],
    lastEventAt: now,
    rollingServiceLevel: () => ({ value: null, explain: ex(0, 0) }),
    ...parts,
  };
}

const cfgOf = (alerts: Record<string, unknown> = {}) =>
  parseSiteConfig('s1', { timezone: 'Asia/Shanghai', alerts });
const kinds = (cs: AlertChange[]) =>
  cs.map(
    (c) => `${c.kind}:${c.alert.kind}:${c.alert.queue ?? c.alert.agent ?? c.alert.team ?? '-'}`,
  );

describe('service level of the current interval below target', () => {
  const cfg = cfgOf({
    sl_below_target: { enabled: true, min_calls: 10, level: 'yellow' },
    clear_down_s: 30,
  });
  const low = figures({ answered: 12, answered_within_threshold: 7, service_level: 7 / 12 });

  it('needs min_calls, fires below target, clears after the clear-down', () => {
    const e = createAlertEngine('s1', cfg, { peopleEveryMs: 0 });
    const few = figures({ answered: 9, answered_within_threshold: 1, service_level: 1 / 9 });
    expect(e.evaluate(view(cfg, T0, { queues: [queue('q1', few)] }))).toEqual([]);
    const ch = e.evaluate(view(cfg, T0 + 1000, { queues: [queue('q1', low)] }));
    expect(kinds(ch)).toEqual(['raised:sl_below_target:q1']);
    expect(ch[0]!.alert.message).toContain('58.3%');
    expect(ch[0]!.alert.message).toContain('7 of 12');
    expect(ch[0]!.alert.level).toBe('yellow');
    const ok = figures({ answered: 12, answered_within_threshold: 10, service_level: 10 / 12 });
    expect(e.evaluate(view(cfg, T0 + 2000, { queues: [queue('q1', ok)] }))).toEqual([]);
    expect(kinds(e.evaluate(view(cfg, T0 + 32_000, { queues: [queue('q1', ok)] })))).toEqual([
      'cleared:sl_below_target:q1',
    ]);
  });

  it('can be disabled', () => {
    const off = cfgOf({ sl_below_target: { enabled: false } });
    expect(
      createAlertEngine('s1', off, { peopleEveryMs: 0 }).evaluate(
        view(off, T0, { queues: [queue('q1', low)] }),
      ),
    ).toEqual([]);
  });
});

describe('agent out of adherence', () => {
  const cfg = cfgOf({ adherence_out_s: 180 });
  it('fires at the threshold of continuous out-of-adherence time and clears when back in', () => {
    const e = createAlertEngine('s1', cfg, { peopleEveryMs: 0 });
    const out = (s: number) =>
      agent('a1', {
        name: 'Li Na',
        adherence: 'out',
        out_of_adherence_s: s,
        state: 'not_ready',
        reason: 'break',
      });
    expect(e.evaluate(view(cfg, T0, { agents: [out(179), agent('a2')] }))).toEqual([]);
    const ch = e.evaluate(view(cfg, T0 + 1000, { agents: [out(180), agent('a2')] }));
    expect(kinds(ch)).toEqual(['raised:adherence:a1']);
    expect(ch[0]!.alert.message).toContain('Li Na (a1) out of adherence for 3 min');
    expect(ch[0]!.alert.team).toBe('t1');
    expect(e.evaluate(view(cfg, T0 + 60_000, { agents: [out(240)] }))).toEqual([]);
    expect(kinds(e.evaluate(view(cfg, T0 + 61_000, { agents: [agent('a1')] })))).toEqual([
      'cleared:adherence:a1',
    ]);
  });
});

describe('attendance at its check time', () => {
  const cfg = cfgOf({ attendance: { below: 0.95, check_time: '10:00', level: 'orange' } });
  const teams = [
    team('t1', { attendance: 18 / 20, attendance_explain: ex(18, 20), missing: ['a7', 'a9'] }),
    team('t2', { attendance: 1, attendance_explain: ex(20, 20) }),
  ];

  it('is only judged after the check time in the site zone', () => {
    expect(pastCheckTime(T0 + 59 * 60_000, cfg, '10:00')).toBe(false); // 09:59 Shanghai
    expect(pastCheckTime(T0 + 60 * 60_000, cfg, '10:00')).toBe(true);
    const e = createAlertEngine('s1', cfg, { peopleEveryMs: 0 });
    expect(e.evaluate(view(cfg, T0 + 59 * 60_000, { teams }))).toEqual([]);
    const ch = e.evaluate(view(cfg, T0 + 60 * 60_000, { teams }));
    // Team t1 is below 95%; the centre (38 of 40 = 95%) is not.
    expect(kinds(ch)).toEqual(['raised:attendance:t1']);
    expect(ch[0]!.alert.message).toContain('18 of 20');
    expect(ch[0]!.alert.action).toContain('a7, a9');
  });

  it('the centre figure is the ratio of sums', () => {
    const e = createAlertEngine('s1', cfg, { peopleEveryMs: 0 });
    const two = [
      team('t1', { attendance: 9 / 10, attendance_explain: ex(9, 10) }),
      team('t2', { attendance: 29 / 30, attendance_explain: ex(29, 30) }),
    ];
    const ch = e.evaluate(view(cfg, T0 + 61 * 60_000, { teams: two }));
    // 38/40 = 0.95 is not below 0.95; only t1 (0.9) fires.
    expect(kinds(ch)).toEqual(['raised:attendance:t1']);
    const worse = [
      team('t1', { attendance: 8 / 10, attendance_explain: ex(8, 10) }),
      team('t2', { attendance: 29 / 30, attendance_explain: ex(29, 30) }),
    ];
    const ch2 = e.evaluate(view(cfg, T0 + 62 * 60_000, { teams: worse }));
    expect(kinds(ch2)).toEqual(['raised:attendance:-']);
    expect(ch2[0]!.alert.message).toContain('37 of 40');
  });
});

describe('team login conformance so far today', () => {
  const cfg = cfgOf({ conformance: { below: 0.92, level: 'yellow', min_scheduled_s: 3600 } });
  it('fires below 92% once enough time is scheduled', () => {
    const e = createAlertEngine('s1', cfg, { peopleEveryMs: 0 });
    const early = [team('t1', { conformance: 0.5, conformance_explain: ex(1200, 2400) })];
    expect(e.evaluate(view(cfg, T0, { teams: early }))).toEqual([]);
    const low = [team('t1', { conformance: 0.9, conformance_explain: ex(32_400, 36_000) })];
    const ch = e.evaluate(view(cfg, T0 + 1000, { teams: low }));
    expect(kinds(ch)).toEqual(['raised:conformance:t1']);
    expect(ch[0]!.alert.message_zh).toContain('登陆吻合度 90% 低于 92%');
  });
});

describe('stale feed and ghost agents', () => {
  const cfg = cfgOf({ stale_feed_s: 60 });
  it('a feed silent for N seconds raises red, and clears when events arrive', () => {
    const e = createAlertEngine('s1', cfg, { peopleEveryMs: 0 });
    expect(e.evaluate(view(cfg, T0, { lastEventAt: null }))).toEqual([]);
    expect(e.evaluate(view(cfg, T0 + 59_999, { lastEventAt: T0 }))).toEqual([]);
    const ch = e.evaluate(view(cfg, T0 + 60_000, { lastEventAt: T0 }));
    expect(kinds(ch)).toEqual(['raised:stale_feed:-']);
    expect(ch[0]!.alert.level).toBe('red');
    expect(ch[0]!.alert.id).toBe(`s1:stale_feed:feed:${T0 + 60_000}`);
    expect(e.evaluate(view(cfg, T0 + 90_000, { lastEventAt: T0 }))).toEqual([]);
    expect(kinds(e.evaluate(view(cfg, T0 + 91_000, { lastEventAt: T0 + 91_000 })))).toEqual([
      'cleared:stale_feed:-',
    ]);
  });

  it('ghost agents raise one info alert each, keyed by agent', () => {
    const e = createAlertEngine('s1', cfg, { peopleEveryMs: 0 });
    const agents = [
      agent('g1', { stale: true }),
      agent('g2', { stale: true, state: 'logged_out' }),
      agent('a3'),
    ];
    const ch = e.evaluate(view(cfg, T0, { agents }));
    expect(kinds(ch)).toEqual(['raised:ghost_agent:g1']);
    expect(ch[0]!.alert.level).toBe('info');
    expect(e.evaluate(view(cfg, T0 + 1000, { agents }))).toEqual([]);
    expect(kinds(e.evaluate(view(cfg, T0 + 2000, { agents: [agent('g1')] })))).toEqual([
      'cleared:ghost_agent:g1',
    ]);
  });
});

describe('escalation of non-rule alerts', () => {
  it('uses alerts.escalation when set', () => {
    const cfg = cfgOf({
      stale_feed_s: 60,
      levels: { stale_feed: 'orange' },
      escalation: { after_min: 2, level: 'red' },
    });
    const e = createAlertEngine('s1', cfg, { peopleEveryMs: 0 });
    expect(e.evaluate(view(cfg, T0 + 60_000, { lastEventAt: T0 }))[0]!.alert.level).toBe('orange');
    expect(kinds(e.evaluate(view(cfg, T0 + 180_000, { lastEventAt: T0 })))).toEqual([
      'escalated:stale_feed:-',
    ]);
  });

  it('steps up a level at a time with alerts.escalate, counting from the last step; an ack stops it', () => {
    const cfg = cfgOf({
      stale_feed_s: 60,
      levels: { stale_feed: 'yellow' },
      escalate: { yellow: { after_min: 2 }, orange: { after_min: 1 } },
    });
    const e = createAlertEngine('s1', cfg, { peopleEveryMs: 0 });
    const at = (ms: number) => e.evaluate(view(cfg, T0 + ms, { lastEventAt: T0 }));
    expect(at(60_000)[0]!.alert.level).toBe('yellow');
    expect(at(179_999)).toEqual([]);
    const up = at(180_000);
    expect(up.map((c) => [c.kind, c.alert.level, Date.parse(c.alert.escalated_at ?? '')])).toEqual([
      ['escalated', 'orange', T0 + 180_000],
    ]);
    expect(at(239_999)).toEqual([]);
    expect(at(240_000).map((c) => [c.kind, c.alert.level])).toEqual([['escalated', 'red']]);
    // Red is the top: nothing more.
    expect(at(900_000)).toEqual([]);

    const acked = createAlertEngine('s1', cfg, { peopleEveryMs: 0 });
    const id = acked.evaluate(view(cfg, T0 + 60_000, { lastEventAt: T0 }))[0]!.alert.id;
    acked.ack(id, 'lead', null, T0 + 90_000);
    expect(acked.evaluate(view(cfg, T0 + 600_000, { lastEventAt: T0 }))).toEqual([]);
  });
});

describe('people sources are re-read at most every peopleEveryMs', () => {
  it('reads the agent list once per 5 s by default, while queues are read on every evaluation', () => {
    const cfg = cfgOf({ adherence_out_s: 180 });
    const e = createAlertEngine('s1', cfg);
    let agentReads = 0;
    let queueReads = 0;
    const counted = (now: number, out: number): SiteView => {
      const v = view(cfg, now);
      return Object.defineProperties(v, {
        agents: {
          get: () => (agentReads++, [agent('a1', { adherence: 'out', out_of_adherence_s: out })]),
        },
        queues: { get: () => (queueReads++, []) },
      });
    };
    expect(e.evaluate(counted(T0, 100))).toEqual([]);
    // 181 s out of adherence at T0+1 s, but the cached reading (100 s) stands until T0+5 s.
    expect(e.evaluate(counted(T0 + 1000, 181))).toEqual([]);
    expect(kinds(e.evaluate(counted(T0 + 5000, 185)))).toEqual(['raised:adherence:a1']);
    expect(agentReads).toBe(4); // adherence and ghost agents, at T0 and at T0+5 s
    expect(queueReads).toBe(3);
  });
});
