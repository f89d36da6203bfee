// Roster and excused-time parsing: the shapes workforce tools export, and one error per
// bad row with its row number. Also the monthly absence flag (缺勤天数5天以上需报备).
import { describe, expect, it } from 'vitest';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { parseSiteConfig, ConfigError } from '../../ingest/src/core/site-config-validate.js';
import {
  absences,
  parseExcused,
  parseRoster,
  registerWorkforceConfigValidator,
  type AgentDayAttendance,
} from '../../ingest/src/core/workforce/index.js';

const cfg = { ...defaultSiteConfig('s1'), timezone: 'Asia/Shanghai' };
const csv = (s: string) => Buffer.from(s.trim() + '\n');

describe('parseRoster', () => {
  const good: { name: string; body: Buffer; type: string; starts: string[]; days: string[] }[] = [
    {
      name: 'CSV with local times in the site zone',
      body: csv(
        'agent,team,start,end,activity\na1,T1,2026-11-23 09:00,2026-11-23 12:00,work\na1,T1,2026-11-23T12:00,2026-11-23T13:00,lunch',
      ),
      type: 'text/csv',
      starts: ['2026-11-23T01:00:00.000Z', '2026-11-23T04:00:00.000Z'],
      days: ['2026-11-23', '2026-11-23'],
    },
    {
      name: 'JSON with ISO times and offsets',
      body: Buffer.from(
        JSON.stringify([
          {
            agent: 'a1',
            team: 'T1',
            start: '2026-11-23T09:00:00+08:00',
            end: '2026-11-23T05:00:00Z',
            activity: 'work',
          },
        ]),
      ),
      type: 'application/json',
      starts: ['2026-11-23T01:00:00.000Z'],
      days: ['2026-11-23'],
    },
    {
      name: 'CSV with upper-case headers, a BOM and no content type',
      body: Buffer.from(
        '\uFEFFAgent,Team,Start,End,Activity\r\na1,T1,2026-11-23 23:00,2026-11-24 07:00,work\r\n',
      ),
      type: '',
      starts: ['2026-11-23T15:00:00.000Z'],
      days: ['2026-11-23'],
    },
  ];
  it.each(good)('$name', (c) => {
    const p = parseRoster(c.body, c.type, cfg);
    expect(p.errors).toEqual([]);
    expect(p.segments.map((s) => new Date(s.start).toISOString())).toEqual(c.starts);
    expect(p.segments.map((s) => s.day)).toEqual(c.days);
  });

  it('names every bad row: missing field, end before start, unknown activity, overlap, two teams, DST gap', () => {
    const ny = { ...cfg, timezone: 'America/New_York' };
    const body = csv(`agent,team,start,end,activity
a1,T1,2026-11-23 09:00,2026-11-23 12:00,work
a1,T1,2026-11-23 11:00,2026-11-23 13:00,work
a2,,2026-11-23 09:00,2026-11-23 10:00,work
a3,T1,2026-11-23 10:00,2026-11-23 09:00,work
a4,T1,2026-11-23 10:00,2026-11-23 11:00,napping
a5,T1,2026-11-23 10:00,2026-11-23 11:00,work
a5,T2,2026-11-23 12:00,2026-11-23 13:00,work
a6,T1,2026-03-08 02:30,2026-03-08 04:00,work`);
    const p = parseRoster(body, 'text/csv', ny);
    expect(p.errors.map((e) => [e.row, e.line, e.field])).toEqual([
      [2, 3, 'start'],
      [3, 4, 'team'],
      [4, 5, 'end'],
      [5, 6, 'activity'],
      [7, 8, 'team'],
      [8, 9, 'start'],
    ]);
    expect(p.errors[0]?.error).toMatch(/overlaps row 1/);
    expect(p.errors[2]?.error).toMatch(/after "start"/);
    expect(p.errors[3]?.error).toMatch(/unknown activity "napping"/);
    expect(p.errors[5]?.error).toMatch(/does not exist/);
  });

  it('accepts site-specific activities', () => {
    const c2 = {
      ...cfg,
      workforce: { ...cfg.workforce, activities: [...cfg.workforce.activities, 'coaching'] },
    };
    const p = parseRoster(
      Buffer.from(
        JSON.stringify([
          {
            agent: 'a',
            team: 't',
            start: '2026-11-23 09:00',
            end: '2026-11-23 10:00',
            activity: 'coaching',
          },
        ]),
      ),
      'application/json',
      c2,
    );
    expect(p.errors).toEqual([]);
  });
});

describe('parseExcused', () => {
  it('takes one object or an array and rejects overlaps with recorded spans', () => {
    const one = parseExcused(
      {
        agent: 'a1',
        start: '2026-11-23 10:00',
        end: '2026-11-23 11:00',
        reason: 'ACD down',
        entered_by: 'lead',
      },
      cfg,
      5,
      () => 'x1',
    );
    expect(one.errors).toEqual([]);
    expect(one.spans[0]).toMatchObject({
      id: 'x1',
      agent: 'a1',
      entered_by: 'lead',
      entered_at: 5,
      end: one.spans[0]!.start + 3600e3,
    });
    const two = parseExcused(
      [
        {
          agent: 'a1',
          start: '2026-11-23 10:30',
          end: '2026-11-23 11:30',
          reason: 'again',
          entered_by: 'lead',
        },
        {
          agent: 'a1',
          start: '2026-11-23 12:00',
          end: '2026-11-23 11:30',
          reason: 'x',
          entered_by: 'lead',
        },
        { agent: 'a2', start: '2026-11-23 12:00', end: '2026-11-23 12:30', entered_by: 'lead' },
      ],
      cfg,
      6,
      (i) => `y${i}`,
      one.spans,
    );
    expect(two.errors.map((e) => [e.row, e.field])).toEqual([
      [1, 'start'],
      [2, 'end'],
      [3, 'reason'],
    ]);
  });
});

describe('workforce config section', () => {
  it('validates and merges the adherence mapping, naming bad keys', () => {
    registerWorkforceConfigValidator();
    const c = parseSiteConfig('s1', {
      workforce: { adherence: { training: 'neutral' }, sign_in_early_s: 600 },
    });
    expect(c.workforce.adherence['training']).toBe('neutral');
    expect(c.workforce.adherence['work']).toContain('ready');
    expect(c.workforce.sign_in_early_s).toBe(600);
    expect(() =>
      parseSiteConfig('s1', { workforce: { adherence: { nap: ['sleeping'] }, bogus: 1 } }),
    ).toThrow(ConfigError);
  });
});

describe('absences: the more-than-5-days-a-month flag', () => {
  const days = (agent: string, absent: number, present: number): AgentDayAttendance[] =>
    Array.from({ length: absent + present }, (_, i) => ({
      agent,
      team: 'T',
      day: `2026-11-${String(i + 1).padStart(2, '0')}`,
      scheduled: true,
      attended: i >= absent,
    }));
  const table = [
    { absent: 5, flagged: false },
    { absent: 6, flagged: true },
    { absent: 0, flagged: null },
  ];
  it.each(table)('$absent absent days -> flagged $flagged', ({ absent, flagged }) => {
    const rows = [
      ...days('a', absent, 10),
      { agent: 'a', team: 'T', day: '2026-11-30', scheduled: false, attended: false },
    ];
    const out = absences(rows, cfg.workforce.absence_days_flag);
    if (flagged === null) expect(out).toEqual([]);
    else expect(out[0]).toMatchObject({ agent: 'a', absent_days: absent, flagged });
  });
});
