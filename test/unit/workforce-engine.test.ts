// Login conformance, attendance and adherence of the live workforce engine, table-driven
// over the cases the issue names. Expected figures are worked out by hand in each row.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { defaultSiteConfig, type SiteConfig } from '../../ingest/src/core/site-config.js';
import {
  createWorkforceEngine,
  parseRoster,
  parseExcused,
  type AgentDayFigures,
} from '../../ingest/src/core/workforce/index.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';

const ZONE = 'Asia/Shanghai';
function cfgFor(zone = ZONE, patch: (c: SiteConfig) => void = () => {}): SiteConfig {
  const c = defaultSiteConfig('s1');
  c.timezone = zone;
  patch(c);
  return c;
}
const at = (local: string, zone = ZONE) =>
  DateTime.fromISO(local.replace(' ', 'T'), { zone }).toMillis();

type Ev = [string, 'in' | 'out' | string]; // [local time, 'in' | 'out' | state key]
let seq = 0;
function events(agent: string, list: Ev[], zone = ZONE): FwEvent[] {
  return list.map(([t, what]) => {
    const base = { id: `e${seq++}`, ts: at(t, zone), site: 's1', agent };
    if (what === 'in') return { ...base, type: 'agent.login' } as FwEvent;
    if (what === 'out') return { ...base, type: 'agent.logout' } as FwEvent;
    const [state, reason] = what.split(':');
    return { ...base, type: 'agent.state', state, ...(reason ? { reason } : {}) } as FwEvent;
  });
}

function run(
  cfg: SiteConfig,
  roster: object[],
  evs: FwEvent[],
  now: number,
  excused: object[] = [],
) {
  const eng = createWorkforceEngine('s1', cfg);
  const body = Buffer.from(JSON.stringify(roster));
  const p = parseRoster(body, 'application/json', cfg);
  expect(p.errors).toEqual([]);
  eng.setRoster(p.segments, p.agentDays);
  const x = parseExcused(excused, cfg, now, (i) => `x${i}`);
  expect(x.errors).toEqual([]);
  eng.addExcused(x.spans);
  const frozen = JSON.stringify(evs);
  for (const e of evs) eng.apply(e);
  expect(JSON.stringify(evs)).toBe(frozen); // input not mutated
  return eng;
}

const shift = (
  agent: string,
  day: string,
  from: string,
  to: string,
  activity = 'work',
  team = 'T1',
) => ({ agent, team, start: `${day} ${from}`, end: `${day} ${to}`, activity });
const D = '2026-11-23';

interface Case {
  name: string;
  cfg?: SiteConfig;
  roster: object[];
  evs: FwEvent[];
  excused?: object[];
  now: number;
  want: Partial<AgentDayFigures>;
}

const cases: Case[] = [
  {
    name: 'signs in 3 min late and out 10 min early',
    roster: [shift('a1', D, '09:00', '17:00')],
    evs: events('a1', [
      [`${D} 09:03`, 'in'],
      [`${D} 09:04`, 'ready'],
      [`${D} 16:50`, 'out'],
    ]),
    now: at(`${D} 20:00`),
    want: {
      scheduled_ms: 8 * 3600e3,
      logged_in_ms: (8 * 60 - 13) * 60e3,
      late_sign_in: true,
      early_sign_out: true,
      attended: true,
      excused_ms: 0,
    },
  },
  {
    name: 'signs in 5 min early and out 5 min late: no flags',
    roster: [shift('a1', D, '09:00', '17:00')],
    evs: events('a1', [
      [`${D} 08:55`, 'in'],
      [`${D} 17:05`, 'out'],
    ]),
    now: at(`${D} 20:00`),
    want: {
      scheduled_ms: 8 * 3600e3,
      logged_in_ms: 8 * 3600e3,
      late_sign_in: false,
      early_sign_out: false,
    },
  },
  {
    name: 'logs out over lunch',
    roster: [
      shift('a1', D, '09:00', '12:00'),
      shift('a1', D, '12:00', '13:00', 'lunch'),
      shift('a1', D, '13:00', '18:00'),
    ],
    evs: events('a1', [
      [`${D} 08:50`, 'in'],
      [`${D} 09:00`, 'ready'],
      [`${D} 12:00`, 'out'],
      [`${D} 12:58`, 'in'],
      [`${D} 13:00`, 'ready'],
      [`${D} 18:06`, 'out'],
    ]),
    now: at(`${D} 20:00`),
    // Lunch is not work: 8 h scheduled, all logged in. Adherence: 9 h scheduled; 12:58-13:00 not_ready during lunch is out.
    want: {
      scheduled_ms: 8 * 3600e3,
      logged_in_ms: 8 * 3600e3,
      late_sign_in: false,
      early_sign_out: false,
      adherence_scheduled_ms: 9 * 3600e3,
      in_adherence_ms: 9 * 3600e3 - 2 * 60e3,
    },
  },
  {
    name: 'absent all day',
    roster: [shift('a1', D, '09:00', '17:00')],
    evs: [],
    now: at(`${D} 20:00`),
    want: {
      scheduled_ms: 8 * 3600e3,
      logged_in_ms: 0,
      attended: false,
      scheduled: true,
      late_sign_in: false,
      early_sign_out: false,
      in_adherence_ms: 0,
    },
  },
  {
    name: 'excused time during an outage',
    roster: [shift('a1', D, '09:00', '17:00')],
    evs: events('a1', [
      [`${D} 08:55`, 'in'],
      [`${D} 10:00`, 'out'],
      [`${D} 11:00`, 'in'],
      [`${D} 17:05`, 'out'],
    ]),
    excused: [
      {
        agent: 'a1',
        start: `${D} 10:00`,
        end: `${D} 11:30`,
        reason: 'ACD outage',
        entered_by: 'lead1',
      },
    ],
    now: at(`${D} 20:00`),
    // 1.5 h excused out of both sides, including the 30 min logged in again during it.
    want: { scheduled_ms: 6.5 * 3600e3, logged_in_ms: 6.5 * 3600e3, excused_ms: 1.5 * 3600e3 },
  },
  {
    name: 'today so far: mid-shift',
    roster: [shift('a1', D, '09:00', '17:00')],
    evs: events('a1', [[`${D} 09:10`, 'in']]),
    now: at(`${D} 12:00`),
    want: {
      scheduled_ms: 3 * 3600e3,
      logged_in_ms: (3 * 60 - 10) * 60e3,
      late_sign_in: true,
      early_sign_out: false,
    },
  },
  {
    name: 'night shift 22:00-06:00, so far at 23:30',
    roster: [
      { agent: 'a1', team: 'N', start: `${D} 22:00`, end: '2026-11-24 06:00', activity: 'work' },
    ],
    evs: events('a1', [[`${D} 22:02`, 'in']]),
    now: at(`${D} 23:30`),
    want: { day: D, scheduled_ms: 1.5 * 3600e3, logged_in_ms: 88 * 60e3, late_sign_in: true },
  },
  {
    name: 'DST spring-forward day: 00:00-08:00 is 7 h',
    cfg: cfgFor('America/New_York'),
    roster: [shift('a1', '2026-03-08', '00:00', '08:00')],
    evs: events(
      'a1',
      [
        ['2026-03-07 23:55', 'in'],
        ['2026-03-08 08:05', 'out'],
      ],
      'America/New_York',
    ),
    now: at('2026-03-08 20:00', 'America/New_York'),
    want: {
      day: '2026-03-08',
      scheduled_ms: 7 * 3600e3,
      logged_in_ms: 7 * 3600e3,
      late_sign_in: false,
      early_sign_out: false,
    },
  },
  {
    name: 'DST fall-back day: 00:00-08:00 is 9 h',
    cfg: cfgFor('America/New_York'),
    roster: [shift('a1', '2026-11-01', '00:00', '08:00')],
    evs: events(
      'a1',
      [
        ['2026-11-01 00:30', 'in'],
        ['2026-11-01 08:05', 'out'],
      ],
      'America/New_York',
    ),
    now: at('2026-11-01 20:00', 'America/New_York'),
    want: { scheduled_ms: 9 * 3600e3, logged_in_ms: 8.5 * 3600e3, late_sign_in: true },
  },
];

describe('workforce engine: login conformance per agent', () => {
  it.each(cases)('$name', (c) => {
    const cfg = c.cfg ?? cfgFor();
    const eng = run(cfg, c.roster, c.evs, c.now, c.excused);
    const [f] = eng.agentFigures(c.now);
    expect(f).toBeDefined();
    expect(f).toMatchObject(c.want);
  });

  it('a night shift belongs to the day it starts in, in the SQL-equivalent full-day figures too', () => {
    const cfg = cfgFor();
    const p = parseRoster(
      Buffer.from(
        'agent,team,start,end,activity\na1,N,2026-11-23 22:00,2026-11-24 02:00,work\na1,N,2026-11-24 02:00,2026-11-24 02:30,break\na1,N,2026-11-24 02:30,2026-11-24 06:00,work\n',
      ),
      'text/csv',
      cfg,
    );
    expect(p.errors).toEqual([]);
    expect(p.segments.map((s) => s.day)).toEqual([D, D, D]);
    expect(p.agentDays).toEqual([{ agent: 'a1', day: D }]);
  });
});

describe('workforce engine: team figures', () => {
  it('are time-weighted: a 10 h shift fully signed in and a 2 h shift half signed in give 11/12, not the mean 75%', () => {
    const cfg = cfgFor();
    const roster = [shift('long', D, '08:00', '18:00'), shift('short', D, '09:00', '11:00')];
    const evs = [
      ...events('long', [
        [`${D} 07:55`, 'in'],
        [`${D} 18:05`, 'out'],
      ]),
      ...events('short', [
        [`${D} 08:55`, 'in'],
        [`${D} 10:00`, 'out'],
      ]),
    ];
    const eng = run(cfg, roster, evs, at(`${D} 20:00`));
    const [team] = eng.teams(at(`${D} 20:00`));
    expect(team?.conformance).toBeCloseTo(11 / 12, 12);
    expect(team?.conformance_explain).toMatchObject({
      numerator: 11 * 3600,
      denominator: 12 * 3600,
    });
    expect(team?.attendance).toBe(1);
  });

  it('attendance counts agents whose shift has started; the missing list names who has not signed in', () => {
    const cfg = cfgFor();
    const roster = [
      shift('a', D, '08:00', '16:00'),
      shift('b', D, '08:00', '16:00'),
      shift('c', D, '14:00', '22:00'),
    ];
    const evs = events('a', [[`${D} 07:55`, 'in']]);
    const eng = run(cfg, roster, evs, at(`${D} 10:00`));
    const [team] = eng.teams(at(`${D} 10:00`));
    expect(team).toMatchObject({ team: 'T1', attendance: 0.5, missing: ['b'] });
    expect(team?.attendance_explain).toMatchObject({ numerator: 1, denominator: 2 });
    expect(
      eng
        .rosteredAgents(at(`${D} 10:00`))
        .map((a) => a.agent)
        .sort(),
    ).toEqual(['b', 'c']);
  });
});

describe('workforce engine: a night shift over local midnight', () => {
  it('keeps an absent agent on the board and out of adherence after midnight', () => {
    const cfg = cfgFor();
    const next = '2026-11-24';
    const night = (agent: string) => ({
      agent,
      team: 'N',
      start: `${D} 22:00`,
      end: `${next} 06:00`,
      activity: 'work',
    });
    // m signed in before the shift and left at 23:30; n never came; d works the next day.
    const evs = [
      ...events('m', [
        [`${D} 21:55`, 'in'],
        [`${D} 23:30`, 'out'],
      ]),
    ];
    const eng = run(cfg, [night('m'), night('n'), shift('d', next, '09:00', '17:00')], evs, 0);
    const names = (now: number) =>
      eng
        .rosteredAgents(now)
        .map((a) => a.agent)
        .sort();
    expect(names(at(`${D} 23:00`))).toEqual(['n']);
    // The day rolls at midnight; n's shift runs on, and so does the next day's roster.
    const after = at(`${next} 00:30`);
    eng.roll(after);
    expect(names(after)).toEqual(['d', 'n']);
    expect(eng.rosteredAgents(after).find((a) => a.agent === 'n')?.team).toBe('N');
    expect(eng.agentAdherence('n', after)).toMatchObject({
      adherence: 'out',
      scheduled_activity: 'work',
    });
    // Once the shift has ended, only the next day's roster is listed.
    expect(names(at(`${next} 06:30`))).toEqual(['d']);
  });
});

describe('workforce engine: real-time adherence', () => {
  const roster = [
    shift('a1', D, '09:00', '10:00'),
    shift('a1', D, '10:00', '10:15', 'break'),
    shift('a1', D, '10:15', '12:00'),
    shift('a1', D, '12:00', '13:00', 'training'),
  ];
  const evs = events('a1', [
    [`${D} 08:55`, 'in'],
    [`${D} 09:00`, 'ready'],
    [`${D} 09:30`, 'talking'],
    [`${D} 09:35`, 'wrap_up'],
    [`${D} 09:36`, 'ready'],
    [`${D} 10:00`, 'not_ready:break'],
    [`${D} 10:20`, 'ready'],
    [`${D} 12:00`, 'ready'],
  ]);
  const table: {
    name: string;
    now: string;
    neutralTraining: boolean;
    want: { adherence: string; out_of_adherence_s: number; scheduled_activity: string | null };
  }[] = [
    {
      name: 'in a call during work',
      now: '09:31',
      neutralTraining: false,
      want: { adherence: 'in', out_of_adherence_s: 0, scheduled_activity: 'work' },
    },
    {
      name: 'on break during break',
      now: '10:05',
      neutralTraining: false,
      want: { adherence: 'in', out_of_adherence_s: 0, scheduled_activity: 'break' },
    },
    {
      name: 'still on break 3 min into work: out for 180 s',
      now: '10:18',
      neutralTraining: false,
      want: { adherence: 'out', out_of_adherence_s: 180, scheduled_activity: 'work' },
    },
    {
      name: 'ready during training: out',
      now: '12:30',
      neutralTraining: false,
      want: { adherence: 'out', out_of_adherence_s: 1800, scheduled_activity: 'training' },
    },
    {
      name: 'ready during neutral training: neutral',
      now: '12:30',
      neutralTraining: true,
      want: { adherence: 'neutral', out_of_adherence_s: 0, scheduled_activity: 'training' },
    },
    {
      name: 'after the roster ends: unscheduled',
      now: '14:00',
      neutralTraining: false,
      want: { adherence: 'unscheduled', out_of_adherence_s: 0, scheduled_activity: null },
    },
  ];
  it.each(table)('$name', (c) => {
    const cfg = cfgFor(ZONE, (x) => {
      if (c.neutralTraining) x.workforce.adherence['training'] = 'neutral';
    });
    const eng = run(cfg, roster, evs, at(`${D} ${c.now}`));
    expect(eng.agentAdherence('a1', at(`${D} ${c.now}`))).toEqual(c.want);
  });

  it('adherence %: neutral time counts neither in nor out', () => {
    const now = at(`${D} 14:00`);
    const plain = run(cfgFor(), roster, evs, now).agentFigures(now)[0];
    // 4 h scheduled; out 10:15-10:20 (5 min) and 12:00-13:00 in training (60 min).
    expect(plain).toMatchObject({
      adherence_scheduled_ms: 4 * 3600e3,
      in_adherence_ms: 4 * 3600e3 - 65 * 60e3,
    });
    const neutral = run(
      cfgFor(ZONE, (x) => (x.workforce.adherence['training'] = 'neutral')),
      roster,
      evs,
      now,
    ).agentFigures(now)[0];
    expect(neutral).toMatchObject({
      adherence_scheduled_ms: 3 * 3600e3,
      in_adherence_ms: 3 * 3600e3 - 5 * 60e3,
    });
  });

  it('re-uploading an agent-day replaces it', () => {
    const cfg = cfgFor();
    const eng = run(cfg, [shift('a1', D, '09:00', '17:00')], [], at(`${D} 20:00`));
    const p = parseRoster(
      Buffer.from(JSON.stringify([shift('a1', D, '10:00', '12:00')])),
      'application/json',
      cfg,
    );
    eng.setRoster(p.segments, p.agentDays);
    expect(eng.agentFigures(at(`${D} 20:00`))[0]?.scheduled_ms).toBe(2 * 3600e3);
  });

  it('roll drops yesterday but keeps the current state and a night shift still running', () => {
    const cfg = cfgFor();
    const eng = run(
      cfg,
      [
        { agent: 'n', team: 'N', start: `${D} 22:00`, end: '2026-11-24 06:00', activity: 'work' },
        shift('d', D, '09:00', '17:00'),
      ],
      [
        ...events('n', [
          [`${D} 21:55`, 'in'],
          [`${D} 21:56`, 'ready'],
        ]),
        ...events('d', [
          [`${D} 08:55`, 'in'],
          [`${D} 17:05`, 'out'],
        ]),
      ],
      at(`${D} 23:00`),
    );
    const now = at('2026-11-24 01:00');
    eng.roll(now);
    expect(eng.size()).toBe(1);
    expect(eng.agentAdherence('n', now)).toEqual({
      adherence: 'in',
      out_of_adherence_s: 0,
      scheduled_activity: 'work',
    });
  });
});

describe('workforce engine: caches', () => {
  it('team tiles follow events within a second, and roster changes at once; per-agent figures are never stale', () => {
    const cfg = cfgFor();
    const roster = [shift('a', D, '09:00', '12:00'), shift('b', D, '09:00', '12:00')];
    const eng = run(cfg, roster, events('a', [[`${D} 08:55`, 'in']]), at(`${D} 14:00`));
    const t0 = at(`${D} 14:00`);
    expect(eng.teams(t0)[0]?.attendance).toBe(0.5);
    eng.apply({
      id: 'late-b',
      ts: at(`${D} 11:00`),
      site: 's1',
      type: 'agent.login',
      agent: 'b',
    } as FwEvent);
    expect(eng.agentFigures(t0 + 10).find((f) => f.agent === 'b')?.attended).toBe(true);
    expect(eng.teams(t0 + 10)[0]?.attendance).toBe(0.5); // memoised for up to 1 s
    expect(eng.teams(t0 + 1000)[0]?.attendance).toBe(1);
    const p = parseRoster(
      Buffer.from(JSON.stringify([shift('c', D, '09:00', '12:00')])),
      'application/json',
      cfg,
    );
    eng.setRoster(p.segments, p.agentDays);
    expect(eng.teams(t0 + 1001)[0]?.attendance).toBeCloseTo(2 / 3, 12);
  });

  it('cached settled figures equal a fresh computation as time passes', () => {
    const cfg = cfgFor();
    const roster = [shift('a', D, '09:00', '17:00')];
    const evs = events('a', [
      [`${D} 09:03`, 'in'],
      [`${D} 16:50`, 'out'],
    ]);
    const eng = run(cfg, roster, evs, at(`${D} 08:00`));
    for (const t of ['08:00', '08:59', '09:30', '16:55', '17:04', '17:06', '23:00']) {
      const fresh = run(cfg, roster, evs, at(`${D} ${t}`)).agentFigures(at(`${D} ${t}`));
      expect(eng.agentFigures(at(`${D} ${t}`)), t).toEqual(fresh);
    }
  });
});

describe('state timeline', () => {
  it('folds states of one class and places an out-of-order change at its time', async () => {
    const { newTimeline, addChange } = await import('../../ingest/src/core/workforce/timeline.js');
    const { StateClasses } = await import('../../ingest/src/core/workforce/adherence-map.js');
    const classes = new StateClasses(cfgFor().workforce);
    const tl = newTimeline();
    const table: [number, string][] = [
      [100, 'not_ready'],
      [200, 'ready'],
      [300, 'talking'],
      [400, 'wrap_up'],
      [500, 'ready'],
      [600, 'not_ready:break'],
      [700, 'logged_out'],
    ];
    for (const [t, k] of table) addChange(tl, t, k, classes);
    // ready/talking/wrap_up are alike for every activity: one run.
    expect(tl).toEqual({
      starts: [100, 200, 600, 700],
      keys: ['not_ready', 'ready', 'not_ready:break', 'logged_out'],
    });
    addChange(tl, 650, 'ready', classes);
    expect(tl).toEqual({
      starts: [100, 200, 600, 650, 700],
      keys: ['not_ready', 'ready', 'not_ready:break', 'ready', 'logged_out'],
    });
    addChange(tl, 150, 'ready', classes);
    expect(tl.starts).toEqual([100, 150, 600, 650, 700]);
  });
});
