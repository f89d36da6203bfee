// Locale formatting of board figures, and the i18n tables staying complete.
import { describe, expect, it } from 'vitest';
import {
  DASH,
  formatClock,
  formatCount,
  formatDuration,
  formatPercent,
  secondsSince,
} from '../../wallboard/src/lib/format.js';
import {
  initialLocale,
  MESSAGES,
  reasonLabel,
  stateLabel,
  translate,
} from '../../wallboard/src/lib/i18n.js';

describe('formatting', () => {
  it.each([
    [0, '0:00'],
    [5.9, '0:05'],
    [65, '1:05'],
    [3599, '59:59'],
    [3600, '1:00:00'],
    [3725, '1:02:05'],
    [-3, '0:00'],
    [null, DASH],
  ])('duration %s → %s', (s, out) => expect(formatDuration(s)).toBe(out));

  it.each([
    [0.8, 'en', '80%'],
    [0.7964, 'en', '79.6%'],
    [1, 'zh-CN', '100%'],
    [null, 'en', DASH],
  ] as const)('percent %s (%s) → %s', (v, loc, out) => expect(formatPercent(v, loc)).toBe(out));

  it('groups thousands for the locale', () => {
    expect(formatCount(12345, 'en')).toBe('12,345');
    expect(formatCount(12345, 'zh-CN')).toBe('12,345');
    expect(formatCount(null, 'en')).toBe(DASH);
  });

  it('shows clock times in the site zone, not the browser zone', () => {
    expect(formatClock('2026-11-23T08:00:05Z', 'Asia/Shanghai')).toBe('16:00:05');
    expect(formatClock(Date.parse('2026-11-23T08:00:05Z'), 'UTC')).toBe('08:00:05');
    expect(formatClock(null, 'UTC')).toBe(DASH);
  });

  it('ticks time in state from since, never negative', () => {
    const now = Date.parse('2026-11-23T08:01:30Z');
    expect(secondsSince('2026-11-23T08:00:00Z', now)).toBe(90);
    expect(secondsSince('2026-11-23T08:05:00Z', now)).toBe(0);
  });
});

describe('i18n', () => {
  it('has every English key in Chinese, none empty', () => {
    for (const [k, v] of Object.entries(MESSAGES.en)) {
      expect(MESSAGES['zh-CN'][k as keyof typeof MESSAGES.en], k).toBeTruthy();
      expect(v).toBeTruthy();
    }
  });

  it('fills parameters and switches language', () => {
    expect(translate('en', 'stale_since', { time: '08:00:05' })).toBe('Stale since 08:00:05');
    expect(translate('zh-CN', 'stale_since', { time: '08:00:05' })).toBe(
      '数据自 08:00:05 起未更新',
    );
    expect(translate('zh-CN', 'waiting')).toBe('排队数');
  });

  it('labels known states and reasons, and passes free-text reasons through', () => {
    expect(stateLabel('zh-CN', 'wrap_up')).toBe('事后处理');
    expect(reasonLabel('zh-CN', 'lunch')).toBe('用餐');
    expect(reasonLabel('en', 'dentist')).toBe('dentist');
    expect(reasonLabel('en', null)).toBe('');
  });

  it.each([
    ['zh-CN', 'en-US', 'zh-CN'],
    ['en', 'zh-CN', 'en'],
    [null, 'zh-TW', 'zh-CN'],
    [null, 'de-DE', 'en'],
    ['fr', undefined, 'en'],
  ] as const)('saved %s, browser %s → %s', (saved, nav, out) =>
    expect(initialLocale(saved, nav)).toBe(out),
  );
});
