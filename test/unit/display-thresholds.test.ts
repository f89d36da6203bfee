// Colour thresholds per queue and per metric (core/display-thresholds.ts): validation with
// plain reasons, a queue's setting over the site's, and the direction of each metric.
import { describe, expect, it } from 'vitest';
import {
  metricRule,
  metricTone,
  validateMetricThresholds,
} from '../../ingest/src/core/display-thresholds.js';
import { ConfigError, parseSiteConfig } from '../../ingest/src/core/site-config-validate.js';

describe('display thresholds', () => {
  it('takes the queue setting over the site one, and says where it comes from', () => {
    const d = {
      metrics: { asa_s: { warn: 20, alarm: 40 }, service_level: { warn: 0.8, alarm: 0.7 } },
      queues: { billing: { asa_s: { warn: 10, alarm: 30 } } },
    };
    expect(metricRule(d, 'billing', 'asa_s')).toEqual({ warn: 10, alarm: 30, source: 'queue' });
    expect(metricRule(d, 'sales', 'asa_s')).toEqual({ warn: 20, alarm: 40, source: 'site' });
    expect(metricRule(d, 'billing', 'service_level')?.source).toBe('site');
    expect(metricRule(d, 'billing', 'aht_s')).toBeNull();
  });

  it('colours higher-is-worse and lower-is-worse metrics the right way round', () => {
    const asa = { warn: 10, alarm: 30 };
    expect([5, 10, 29, 30].map((v) => metricTone(v, 'asa_s', asa))).toEqual([
      'ok',
      'warn',
      'warn',
      'alarm',
    ]);
    const sl = { warn: 0.8, alarm: 0.7 };
    expect([0.9, 0.8, 0.75, 0.7, null].map((v) => metricTone(v, 'service_level', sl))).toEqual([
      'ok',
      'warn',
      'warn',
      'alarm',
      'none',
    ]);
    expect(metricTone(0.06, 'abandon_rate', { warn: 0.05, alarm: 0.1 })).toBe('warn');
  });

  it('refuses unknown metrics and thresholds the wrong way round, naming the key', () => {
    const errors: string[] = [];
    validateMetricThresholds(
      {
        asa: { warn: 1, alarm: 2 },
        service_level: { warn: 0.7, alarm: 0.8 },
        aht_s: { warn: 300 },
      },
      'display.metrics',
      errors,
    );
    expect(errors).toEqual([
      'display.metrics.asa is not a known metric (known: service_level, answer_rate, abandon_rate, asa_s, aht_s)',
      'display.metrics.service_level: alarm must be at or below warn (service_level is worse when lower)',
      'display.metrics.aht_s.warn and .alarm must be numbers from 0 to 86400',
    ]);
    const cfg = parseSiteConfig('s1', {
      display: { queues: { billing: { answer_rate: { warn: 0.9, alarm: 0.85 } } } },
    });
    expect(cfg.display.queues?.['billing']?.answer_rate).toEqual({ warn: 0.9, alarm: 0.85 });
    expect(cfg.display.sl_warn).toBe(0.9);
    expect(() => parseSiteConfig('s1', { display: { colour: 1 } })).toThrow(ConfigError);
  });
});
