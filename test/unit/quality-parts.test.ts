// Service-quality pieces: incident levels by the seed's bands, bulletin deadlines, the
// complaint-volume baseline (mean + k·σ), the CSV export's formula defusing, and the
// configuration section's plain errors.
import { describe, expect, it } from 'vitest';
import { qualityCsv } from '../../ingest/src/adapters/http/routes/report-quality.js';
import { DEFAULT_QUALITY } from '../../ingest/src/core/quality/config.js';
import { validateQuality } from '../../ingest/src/core/quality/config-validate.js';
import { QualityEngine } from '../../ingest/src/core/quality/engine.js';
import type { QualityRow } from '../../ingest/src/core/quality/figures.js';
import {
  bulletinDue,
  incidentLevel,
  IncidentInputError,
  parseIncident,
} from '../../ingest/src/core/quality/incidents.js';
import { meanSd } from '../../ingest/src/core/quality/volume-watch.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import type { FwEvent } from '../../ingest/src/core/contract.js';

describe('incidents', () => {
  it.each([
    [0, 'info'],
    [1999, 'info'],
    [2000, 'yellow'],
    [3000, 'yellow'],
    [4999, 'yellow'],
    [5000, 'orange'],
    [10000, 'red'],
  ])('%i users affected is %s', (users, level) => {
    expect(incidentLevel(users, DEFAULT_QUALITY)).toBe(level);
  });

  it('bulletin due 3 h after a sudden fault, 24 h before planned work', () => {
    const t = Date.parse('2026-11-23T10:00:00Z');
    expect(bulletinDue('sudden', t, DEFAULT_QUALITY)).toBe(t + 3 * 3_600_000);
    expect(bulletinDue('planned', t, DEFAULT_QUALITY)).toBe(t - 24 * 3_600_000);
  });

  it('refuses bad input with plain reasons', () => {
    const ids = { id: 'i1', site: 'S', now: 0, by: 'x' };
    expect(() => parseIncident({ users_affected: -1 }, ids, DEFAULT_QUALITY)).toThrow(
      IncidentInputError,
    );
    expect(() =>
      parseIncident({ users_affected: 10, start: 'yesterday' }, ids, DEFAULT_QUALITY),
    ).toThrow(/ISO-8601/);
    expect(() =>
      parseIncident({ users_affected: 10, colour: 'red' }, ids, DEFAULT_QUALITY),
    ).toThrow(/colour is not a known key/);
    expect(
      parseIncident(
        { users_affected: 3000, services: ['4G data'], start: '2026-11-23T09:00:00+08:00' },
        ids,
        DEFAULT_QUALITY,
      ),
    ).toMatchObject({ level: 'yellow', start: Date.parse('2026-11-23T01:00:00Z') });
  });
});

describe('complaint-volume watch', () => {
  it('mean and population σ', () => {
    expect(meanSd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, sd: 2 });
  });

  it('warns when this interval is above mean + k·σ of the same interval in the last 4 weeks', () => {
    const cfg = defaultSiteConfig('S');
    const q = new QualityEngine('S', cfg);
    const now = Date.parse('2026-11-23T10:07:00Z');
    let n = 0;
    const created = (ts: number) =>
      q.apply({
        id: `v${++n}`,
        ts,
        site: 'S',
        type: 'ticket.created',
        ticket: `t${n}`,
        category: 'network',
        class: 'ordinary',
      } as FwEvent);
    // Same interval (10:00-10:15) on the previous 4 Mondays: 1, 2, 1, 2 complaints.
    [1, 2, 1, 2].forEach((count, w) => {
      for (let i = 0; i < count; i++) created(now - (w + 1) * 7 * 86_400_000 + i * 1000);
    });
    // Without history under all 4 baseline weeks there is no judgement at all.
    const fresh = new QualityEngine('S', cfg);
    for (let i = 0; i < 9; i++)
      fresh.apply({
        id: `f${i}`,
        ts: now - 60_000 + i,
        site: 'S',
        type: 'ticket.created',
        ticket: `f${i}`,
        category: 'network',
        class: 'ordinary',
      } as FwEvent);
    expect(fresh.spikes(now)).toEqual([]);
    for (let i = 0; i < 4; i++) created(now - 60_000 + i);
    // 4 < min_count 5: no warning yet.
    expect(q.spikes(now)).toEqual([]);
    created(now - 1000);
    const [s] = q.spikes(now);
    expect(s).toMatchObject({
      category: 'network',
      count: 5,
      mean: 1.5,
      sd: 0.5,
      threshold: 3,
      baseline: [1, 2, 1, 2],
    });
  });
});

describe('quality CSV export', () => {
  it('defuses cells a spreadsheet would run as formulas', () => {
    const row = {
      date: '2026-11-23',
      key: '=HYPERLINK("http://x","y")',
      closed: 1,
      closed_on_time: 1,
      on_time_rate: 1,
    } as unknown as QualityRow;
    const csv = qualityCsv([
      row,
      { ...row, key: '@SUM(A1)' },
      { ...row, key: '+1' },
      { ...row, key: '班组一' },
    ]);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toMatch(/^2026-11-23,"'=HYPERLINK\(""http:\/\/x"",""y""\)",1,1,1,/);
    expect(lines[2]).toMatch(/^2026-11-23,'@SUM\(A1\),/);
    expect(lines[3]).toMatch(/^2026-11-23,'\+1,/);
    expect(lines[4]).toMatch(/^2026-11-23,班组一,/);
  });
});

describe('quality configuration', () => {
  it('names every bad key', () => {
    const errors: string[] = [];
    validateQuality(
      {
        sign_within_s: 5,
        limits: [{ class: 'hard' }],
        incident_bands: [{ min_users: 100, level: 'purple' }],
        colour: 1,
      },
      'quality',
      errors,
      DEFAULT_QUALITY,
    );
    expect(errors).toEqual([
      'quality.colour is not a known key (known: sign_within_s, reply_share, limits, default_limit_h, fcr_days, repeat_days, satisfied_min_score, targets, incident_bands, bulletin, volume_watch, sources, near_limit_s, categories)',
      'quality.sign_within_s must be a whole number from 60 to 86400',
      'quality.limits[0] needs exactly one of hours or working_days',
      'quality.incident_bands[0].level must be one of info, yellow, orange, red',
    ]);
  });

  it('takes category names per language, and names a bad one', () => {
    const errors: string[] = [];
    const out = validateQuality(
      {
        categories: {
          billing: { label: 'Billing', label_zh: '账务' },
          network: { label: 5, colour: 'red' },
        },
      },
      'quality',
      errors,
      DEFAULT_QUALITY,
    );
    expect(out.categories?.['billing']).toEqual({ label: 'Billing', label_zh: '账务' });
    expect(errors).toEqual([
      'quality.categories.network.colour is not a known key (known: label, label_zh)',
      'quality.categories.network.label must be a name of 1 to 64 characters',
    ]);
  });
});
