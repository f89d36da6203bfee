// Board deltas carry an alert again exactly when it changed: raised, acknowledged, escalated,
// cleared, or shown in a new zone after a configuration; never when nothing happened to it.
import { describe, expect, it } from 'vitest';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { defaultSiteConfig } from '../../ingest/src/core/site-config.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';

const T = Date.parse('2026-11-23T01:00:00.000Z');
const s = (sec: number) => T + sec * 1000;

describe('alerts in board deltas', () => {
  it('are sent when they change and not otherwise', () => {
    const cfg = { ...defaultSiteConfig('S'), timezone: 'Asia/Shanghai' };
    cfg.alerts = { ...cfg.alerts, escalate: { yellow: { after_min: 1 } } };
    const alerts = createAlertEngine('S', cfg);
    const rt = new SiteRuntime('S', cfg, {
      queue: createQueueEngine('S', cfg, { latenessMs: 10_000 }),
      alerts,
    });
    rt.baseSnapshot(s(0));
    const sent = (sec: number) =>
      (rt.delta(s(sec), { heartbeat: true })?.alerts ?? []).map(
        (a) => `${a.level} ${a.acked_at ?? '-'} ${a.cleared_at ?? '-'} ${a.raised_at}`,
      );
    const raised = alerts.raise({ kind: 'ext', key: 'k1', level: 'yellow', message: 'm' }, s(1));
    expect(raised).not.toBeNull();
    expect(sent(1)).toEqual(['yellow - - 2026-11-23T09:00:01.000+08:00']);
    expect(sent(2)).toEqual([]);
    expect(sent(3)).toEqual([]);

    alerts.evaluate(rt.view(s(61)));
    expect(sent(61)).toEqual(['orange - - 2026-11-23T09:00:01.000+08:00']);
    expect(sent(62)).toEqual([]);

    alerts.ack(raised?.alert.id as string, 'lead', null, s(70));
    expect(sent(70)).toEqual([
      'orange 2026-11-23T09:01:10.000+08:00 - 2026-11-23T09:00:01.000+08:00',
    ]);
    expect(sent(71)).toEqual([]);

    // A new zone: the same alert, its times written in it.
    const utc = { ...cfg, timezone: 'UTC' };
    rt.configure(utc);
    rt.baseSnapshot(s(80));
    expect(rt.snapshot(s(80)).alerts.map((a) => a.raised_at)).toEqual(['2026-11-23T01:00:01.000Z']);
    expect(sent(81)).toEqual([]);

    alerts.resolve('ext', 'k1', 'done', s(90));
    expect(sent(90)).toEqual([
      'orange 2026-11-23T01:01:10.000Z 2026-11-23T01:01:30.000Z 2026-11-23T01:00:01.000Z',
    ]);
    expect(sent(91)).toEqual([]);
  });
});
