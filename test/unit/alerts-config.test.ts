// Validation of the overflow_rules and alerts sections: defaults, merges, and errors that
// name the key path.
import { describe, expect, it } from 'vitest';
import { registerAlertConfigValidators } from '../../ingest/src/core/alerts/config.js';
import { RULE_DEFAULTS } from '../../ingest/src/core/alerts/rules-config.js';
import { DEFAULT_ALERTS } from '../../ingest/src/core/site-config.js';
import { ConfigError, parseSiteConfig } from '../../ingest/src/core/site-config-validate.js';

registerAlertConfigValidators();

function errorsOf(body: unknown): string[] {
  try {
    parseSiteConfig('s1', body);
  } catch (e) {
    if (e instanceof ConfigError) return e.errors;
    throw e;
  }
  return [];
}

describe('overflow_rules', () => {
  it('fills defaults and keeps what is given', () => {
    const body = {
      overflow_rules: [
        {
          id: 'r1',
          queue: 'sales',
          conditions: { waiting_gte: 10 },
          action: { kind: 'overflow', to: 'backup' },
        },
      ],
    };
    const copy = structuredClone(body);
    const cfg = parseSiteConfig('s1', body);
    expect(body).toEqual(copy);
    expect(cfg.overflow_rules).toEqual([
      {
        id: 'r1',
        queue: 'sales',
        conditions: { waiting_gte: 10 },
        mode: RULE_DEFAULTS.mode,
        hold_down_s: 30,
        clear_down_s: 60,
        level: 'orange',
        action: { kind: 'overflow', to: 'backup' },
      },
    ]);
  });

  const bad: { body: unknown; error: string }[] = [
    { body: { overflow_rules: {} }, error: 'overflow_rules must be a list of rules' },
    {
      body: {
        overflow_rules: [
          {
            id: 'r 1',
            queue: 'q',
            conditions: { waiting_gte: 1 },
            action: { kind: 'overflow', to: 'b' },
          },
        ],
      },
      error: 'overflow_rules[0].id must be',
    },
    {
      body: {
        overflow_rules: [
          { id: 'r1', queue: 'q', conditions: {}, action: { kind: 'overflow', to: 'b' } },
        ],
      },
      error: 'overflow_rules[0].conditions must set at least one condition',
    },
    {
      body: {
        overflow_rules: [
          {
            id: 'r1',
            queue: 'q',
            conditions: { waiting_gte: 0 },
            action: { kind: 'overflow', to: 'b' },
          },
        ],
      },
      error: 'overflow_rules[0].conditions.waiting_gte must be an integer from 1',
    },
    {
      body: {
        overflow_rules: [
          {
            id: 'r1',
            queue: 'q',
            conditions: { rolling_sl_lt: { window_min: 15 } },
            action: { kind: 'overflow', to: 'b' },
          },
        ],
      },
      error: 'overflow_rules[0].conditions.rolling_sl_lt.below is required',
    },
    {
      body: {
        overflow_rules: [
          {
            id: 'r1',
            queue: 'q',
            conditions: { waiting_gte: 1 },
            action: { kind: 'merge', groups: ['a'] },
          },
        ],
      },
      error: 'overflow_rules[0].action.groups must be a list of 2 to 50',
    },
    {
      body: {
        overflow_rules: [
          { id: 'r1', queue: 'q', conditions: { waiting_gte: 1 }, action: { kind: 'page' } },
        ],
      },
      error: 'overflow_rules[0].action.kind must be "overflow" or "merge"',
    },
    {
      body: {
        overflow_rules: [
          {
            id: 'r1',
            queue: 'q',
            conditions: { waiting_gte: 1 },
            action: { kind: 'overflow', to: 'b' },
            hold_down_s: -1,
          },
        ],
      },
      error: 'overflow_rules[0].hold_down_s must be a number from 0 to 3600',
    },
    {
      body: {
        overflow_rules: [
          {
            id: 'r1',
            queue: 'q',
            conditions: { waiting_gte: 1 },
            action: { kind: 'overflow', to: 'b' },
            mode: 'most',
          },
        ],
      },
      error: 'overflow_rules[0].mode must be "all" or "any"',
    },
    {
      body: {
        overflow_rules: [
          {
            id: 'r1',
            queue: 'q',
            conditions: { waiting_gte: 1 },
            action: { kind: 'overflow', to: 'b' },
            level: 'red',
            escalation: { after_min: 5, level: 'yellow' },
          },
        ],
      },
      error: 'overflow_rules[0].escalation.level must be above',
    },
    {
      body: {
        overflow_rules: [
          {
            id: 'r1',
            queue: 'q',
            conditions: { waiting_gte: 1 },
            action: { kind: 'overflow', to: 'b' },
            webhook: { url: 'ftp://x', secret: 'short' },
          },
        ],
      },
      error: 'overflow_rules[0].webhook.url must be an http',
    },
    {
      body: {
        overflow_rules: [
          {
            id: 'r1',
            queue: 'q',
            conditions: { waiting_gte: 1 },
            action: { kind: 'overflow', to: 'b' },
            webhook: { url: 'http://x', secret: 'short' },
          },
        ],
      },
      error: 'overflow_rules[0].webhook.secret must be a string of 16',
    },
    {
      body: {
        overflow_rules: [
          {
            id: 'r1',
            queue: 'q',
            conditions: { waiting_gte: 1 },
            action: { kind: 'overflow', to: 'b' },
            colour: 'x',
          },
        ],
      },
      error: 'overflow_rules[0].colour is not a known key',
    },
    {
      body: {
        overflow_rules: [1, 2].map(() => ({
          id: 'same',
          queue: 'q',
          conditions: { waiting_gte: 1 },
          action: { kind: 'overflow', to: 'b' },
        })),
      },
      error: 'overflow_rules[1].id "same" is used by an earlier rule',
    },
  ];
  for (const b of bad) {
    it(`rejects: ${b.error}`, () => {
      expect(errorsOf(b.body).join('\n')).toContain(b.error);
    });
  }
});

describe('alerts', () => {
  it('merges one key over the current thresholds', () => {
    const cfg = parseSiteConfig('s1', {
      alerts: { adherence_out_s: 300, attendance: { check_time: '09:30' } },
    });
    expect(cfg.alerts.adherence_out_s).toBe(300);
    expect(cfg.alerts.attendance).toEqual({
      below: DEFAULT_ALERTS.attendance.below,
      check_time: '09:30',
      level: DEFAULT_ALERTS.attendance.level,
    });
    expect(cfg.alerts.stale_feed_s).toBe(DEFAULT_ALERTS.stale_feed_s);
    const next = parseSiteConfig('s1', { alerts: { stale_feed_s: 30 } }, cfg);
    expect(next.alerts.adherence_out_s).toBe(300);
    expect(next.alerts.stale_feed_s).toBe(30);
  });

  const bad: { body: unknown; error: string }[] = [
    {
      body: { alerts: { attendance: { check_time: '25:00' } } },
      error: 'alerts.attendance.check_time must be a local time HH:mm',
    },
    {
      body: { alerts: { conformance: { below: 92 } } },
      error: 'alerts.conformance.below must be a number from 0 to 1',
    },
    {
      body: { alerts: { sl_below_target: { level: 'purple' } } },
      error: 'alerts.sl_below_target.level must be one of info, yellow, orange, red',
    },
    {
      body: { alerts: { levels: { stale_feed: 'pink' } } },
      error: 'alerts.levels.stale_feed must be one of',
    },
    { body: { alerts: { nope: 1 } }, error: 'alerts.nope is not a known key' },
  ];
  for (const b of bad) {
    it(`rejects: ${b.error}`, () => {
      expect(errorsOf(b.body).join('\n')).toContain(b.error);
    });
  }
});
