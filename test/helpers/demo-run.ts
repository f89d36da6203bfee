// `npm run demo` in one process, on a clock the test drives: the demo site's configuration
// and roster as the demo uploads them, its pre-roll sent at once in batches of 500 and its
// live events second by second, into a SiteRuntime over the server's real engines with the
// server's options (alerts at most every 250 ms, judged at the events' time while a backlog
// arrives). Minutes of the floor run in well under a second, at any start instant.
import { registerAlertConfigValidators } from '../../ingest/src/core/alerts/config.js';
import { createAlertEngine } from '../../ingest/src/core/alerts/engine.js';
import { validateEvent, type FwEvent } from '../../ingest/src/core/contract.js';
import type { AlertChange } from '../../ingest/src/core/modules.js';
import { registerQualityConfigValidator } from '../../ingest/src/core/quality/config-validate.js';
import { QualityEngine } from '../../ingest/src/core/quality/engine.js';
import { createQueueEngine } from '../../ingest/src/core/queue/engine.js';
import { parseSiteConfig } from '../../ingest/src/core/site-config-validate.js';
import { SiteRuntime } from '../../ingest/src/core/site-runtime.js';
import type { AlertView, LiveSnapshot } from '../../ingest/src/core/snapshot.js';
import { registerStaffingConfigValidator } from '../../ingest/src/core/staffing/config.js';
import { registerWorkforceConfigValidator } from '../../ingest/src/core/workforce/config.js';
import { createWorkforceEngine } from '../../ingest/src/core/workforce/engine.js';
import { parseRoster } from '../../ingest/src/core/workforce/roster-parse.js';
import { registerWorkStateConfigValidator } from '../../ingest/src/core/workstate/config.js';
import { createWorkStateEngine } from '../../ingest/src/core/workstate/engine.js';
import { Engine } from '../../simulator/generator/engine.js';
import { SiteClock } from '../../simulator/generator/site-clock.js';
import { siteConfigBody } from '../../simulator/output/server-api.js';
import { DEMO_SITE_SETTINGS, demoRosterOf, demoScenario } from '../../simulator/scenarios/demo.js';

registerAlertConfigValidators();
registerWorkforceConfigValidator();
registerWorkStateConfigValidator();
registerStaffingConfigValidator();
registerQualityConfigValidator();

/** The server's defaults (config.ts, site-registry.ts) that decide when alerts are judged. */
const LATENESS_MS = 10_000;
const MIN_EVAL_GAP_MS = 250;
const CATCH_UP_MS = 30_000;
/** Events per ingest message, as simulator/demo.ts sends them. */
const BATCH = 500;

export interface DemoRunOptions {
  seed?: string;
  agents?: number;
  /** Live time run after the start instant (the first-run test watches ~5 min 15 s). */
  liveMs?: number;
  /**
   * Called every `judgeEveryS` live seconds with the runtime's snapshot, to judge the active
   * alerts (the first-run test polls the same snapshot over HTTP every 2 s).
   */
  onSnapshot?: (snap: LiveSnapshot, at: number) => void;
  judgeEveryS?: number;
}

export interface DemoRun {
  /** Every alert raised from the first pre-roll event to the end, as raised. */
  raised: AlertView[];
  changes: AlertChange[];
}

/** Runs the demo as if `npm run demo` took `liveAt` from the wall clock. */
export function runDemoAt(liveAt: number, o: DemoRunOptions = {}): DemoRun {
  const liveMs = o.liveMs ?? 6 * 60_000;
  const cfg = {
    ...demoScenario({ liveAt, site: 'demo', seed: o.seed ?? 'demo', agents: o.agents ?? 300 }),
    to: liveAt + liveMs,
  };
  const clock = new SiteClock(cfg.timezone);
  const site = parseSiteConfig('demo', { ...siteConfigBody(cfg), ...DEMO_SITE_SETTINGS });
  const rt = new SiteRuntime(
    'demo',
    site,
    {
      queue: createQueueEngine('demo', site, { latenessMs: LATENESS_MS }),
      workforce: createWorkforceEngine('demo', site),
      alerts: createAlertEngine('demo', site),
      workState: createWorkStateEngine('demo', site),
      quality: new QualityEngine('demo', site),
    },
    { minEvalGapMs: MIN_EVAL_GAP_MS, catchUpMs: CATCH_UP_MS },
  );
  // The roster the demo uploads (simulator/demo.ts), through the upload's own parser.
  const rows = demoRosterOf(cfg, clock);
  const roster = parseRoster(Buffer.from(JSON.stringify(rows)), 'application/json', site);
  if (roster.errors.length)
    throw new Error(`the demo roster was refused: ${JSON.stringify(roster.errors.slice(0, 3))}`);
  rt.modules.workforce?.setRoster(roster.segments, roster.agentDays);
  rt.touch();

  const changes: AlertChange[] = [];
  let pending: FwEvent[] = [];
  const engine = new Engine(cfg, (ev) => {
    const r = validateEvent(ev, cfg.to);
    if (!r.ok) throw new Error(`a demo event was refused: ${r.error}`);
    pending.push(r.event);
  });
  // The pre-roll, sent at once. Each message is judged as it lands: one evaluation per batch
  // (a loaded machine's pace; a fast one evaluates fewer and raises no more).
  engine.runUntil(liveAt);
  let wall = liveAt;
  for (let i = 0; i < pending.length; i += BATCH) {
    wall += MIN_EVAL_GAP_MS;
    changes.push(...rt.apply(pending.slice(i, i + BATCH), wall));
  }
  pending = [];
  // Live: every second, that second's events, then the server's 1-s clock tick.
  const every = o.judgeEveryS ?? 2;
  for (let t = wall + 1000, n = 0; t <= liveAt + liveMs; t += 1000, n++) {
    engine.runUntil(t);
    if (pending.length) changes.push(...rt.apply(pending, t));
    pending = [];
    changes.push(...rt.tick(t));
    if (o.onSnapshot && n % every === 0) o.onSnapshot(rt.snapshot(t), t);
  }
  return {
    raised: changes.filter((c) => c.kind === 'raised').map((c) => c.alert),
    changes,
  };
}
