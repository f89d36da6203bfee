// Command-line options of `npm run simulate`: parsed once into a typed object; a bad value
// names its option. `buildConfig` turns them into the engine's SimConfig.
import { parseArgs } from 'node:util';
import type { OverflowRule } from '../ingest/src/core/site-config.js';
import { DEFAULT_DOW, DEFAULT_PROFILE, parseDow, parseProfile } from './distributions/profile.js';
import type { QueueSpec, ShiftPattern, SimConfig } from './generator/model.js';
import { SiteClock } from './generator/site-clock.js';
import { demoScenario } from './scenarios/demo.js';
import { mmnScenario } from './scenarios/mmn.js';
import {
  DEFAULT_CALL,
  DEFAULT_QUEUES,
  DEFAULT_RATES,
  DEFAULT_SHIFTS,
  siteScenario,
} from './scenarios/site.js';

export class CliError extends Error {
  readonly code = 'bad_option';
}

export const HELP = `npm run simulate -- [options]

Generates contact-centre events that pass the Floorwatch contract.

Scenario
  --scenario site|mmn|demo   site: realistic centre (default); mmn: queueing validation; demo: npm run demo's site
  --site NAME                site id (default: sim, mmn or demo)
  --timezone ZONE            IANA zone (default Asia/Shanghai; mmn: UTC)
  --seed TEXT                same seed + same options = byte-identical output (default 1)
  --agents N                 agents (default 200)
  --team-size N              agents per team (default 15)
  --queues LIST              queue:weight,... (default sales:0.4,service:0.4,billing:0.2)
Calls
  --calls-per-hour N         site calls/hour at profile 1 (default: sized for ~85% occupancy; mmn: required)
  --aht S                    mean handle time, seconds (default 300)
  --handle lognormal|exponential   handle-time distribution (default lognormal; mmn: exponential)
  --handle-cv X              lognormal coefficient of variation (default 0.6)
  --wrap X                   mean share of handle time in wrap-up (default 0.15)
  --hold X                   probability of a hold (default 0.2)
  --ring S                   mean ring time before answer (default 3)
  --patience S|none          mean caller patience, exponential (default 120)
  --profile LIST             intraday curve hour:rate,... (default morning peak 10-11, lunch dip 12-13)
  --dow LIST                 7 day-of-week factors, Monday first (default 1.15,1.05,1,1,0.95,0.6,0.45)
  --overflow RULE            FROM>TO:waiting=N,wait=S (any condition; repeatable)
Workforce
  --shifts LIST              HH:mm/hours/share,... (default 21:00/10/0.03,07:30/9/0.27,08:30/9/0.35,10:00/9/0.2,12:00/9/0.15)
  --absence P --late P --leave-early P --logout-lunch P --long-break P --ghost P --training P
                             per agent-day rates (defaults 0.04 0.08 0.04 0.3 0.12 0.01 0.08)
Span
  --from ISO --to ISO        simulated span (dates read in the site zone); --hours H instead of --to (default 24)
                             default --from: with --target, now (real time); otherwise start of today
Output
  --out FILE|-               NDJSON to a file or stdout
  --target URL               ws://host:port (WS /ws/ingest); also PUTs the site config and roster.
                             Credentials from FLOORWATCH_TOKEN: an admin token, or the site's ingest
                             token with --no-upload
  --speed X                  simulated seconds per second (default 1 live; with --from: as fast as acks allow)
  --batch N                  events per WebSocket message (default 500 live, 5000 back-fill)
  --in-flight N              unacknowledged messages allowed (default 4)
  --roster-out FILE          write the roster (JSON array of {agent,team,start,end,activity})
  --no-upload                with --target: do not PUT site config and roster
  --no-validate              skip the contract check of every event
  --ts iso|epoch             ts as ISO-8601 with the site offset (default) or epoch ms
  --progress                 progress bar on stderr even when it is not a terminal
  --help
`;

export interface CliOptions {
  config: SimConfig;
  out: string | null;
  target: string | null;
  speed: number;
  batch: number;
  inFlight: number;
  rosterOut: string | null;
  /** Streaming to a server from the wall clock (no --from). */
  live: boolean;
  upload: boolean;
  validate: boolean;
  progress: boolean;
  help: boolean;
}

const OPTIONS = {
  scenario: { type: 'string' },
  site: { type: 'string' },
  timezone: { type: 'string' },
  seed: { type: 'string' },
  agents: { type: 'string' },
  'team-size': { type: 'string' },
  queues: { type: 'string' },
  'calls-per-hour': { type: 'string' },
  aht: { type: 'string' },
  handle: { type: 'string' },
  'handle-cv': { type: 'string' },
  wrap: { type: 'string' },
  hold: { type: 'string' },
  ring: { type: 'string' },
  patience: { type: 'string' },
  profile: { type: 'string' },
  dow: { type: 'string' },
  overflow: { type: 'string', multiple: true },
  shifts: { type: 'string' },
  absence: { type: 'string' },
  late: { type: 'string' },
  'leave-early': { type: 'string' },
  'logout-lunch': { type: 'string' },
  'long-break': { type: 'string' },
  ghost: { type: 'string' },
  training: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  hours: { type: 'string' },
  out: { type: 'string' },
  target: { type: 'string' },
  speed: { type: 'string' },
  batch: { type: 'string' },
  'in-flight': { type: 'string' },
  'roster-out': { type: 'string' },
  'no-upload': { type: 'boolean' },
  'no-validate': { type: 'boolean' },
  ts: { type: 'string' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function num(
  v: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new CliError(`--${name} must be a number from ${min} to ${max}, got "${v}"`);
  return n;
}

function parseQueues(text: string): QueueSpec[] {
  return text.split(',').map((part) => {
    const [name, w] = part.split(':');
    const weight = w === undefined ? 1 : Number(w);
    if (!name || !/^[A-Za-z0-9_.-]{1,64}$/.test(name) || !Number.isFinite(weight) || weight <= 0)
      throw new CliError(`--queues: "${part}" is not name:weight`);
    return { name, weight };
  });
}

function parseShifts(text: string): ShiftPattern[] {
  return text.split(',').map((part) => {
    const m = /^(\d{1,2}):(\d{2})\/(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (!m) throw new CliError(`--shifts: "${part}" is not HH:mm/hours/share`);
    const hours = Number(m[3]);
    if (hours <= 0 || hours > 16) throw new CliError(`--shifts: "${part}" hours must be 0-16`);
    return { startMin: Number(m[1]) * 60 + Number(m[2]), hours, share: Number(m[4]) };
  });
}

function parseOverflow(text: string, i: number): OverflowRule {
  const m = /^([^>:]+)>([^:]+):(.+)$/.exec(text);
  if (!m) throw new CliError(`--overflow: "${text}" is not FROM>TO:waiting=N,wait=S`);
  const conditions: OverflowRule['conditions'] = {};
  for (const c of m[3]!.split(',')) {
    const [k, v] = c.split('=');
    const n = Number(v);
    if (k === 'waiting' && n > 0) conditions.waiting_gte = n;
    else if (k === 'wait' && n > 0) conditions.longest_wait_gte_s = n;
    else throw new CliError(`--overflow: condition "${c}" is not waiting=N or wait=S`);
  }
  return {
    id: `overflow-${i + 1}`,
    queue: m[1]!,
    conditions,
    mode: 'any',
    hold_down_s: 30,
    clear_down_s: 120,
    level: 'orange',
    action: { kind: 'overflow', to: m[2]! },
  };
}

/** Parses argv; `now` is the wall clock, used only for the default start. */
export function parseCli(argv: string[], now: number): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const v = values;
  const scenario = v.scenario ?? 'site';
  if (!['site', 'mmn', 'demo'].includes(scenario))
    throw new CliError(`--scenario must be site, mmn or demo, got "${scenario}"`);
  const timezone = v.timezone ?? (scenario === 'mmn' ? 'UTC' : 'Asia/Shanghai');
  let clock: SiteClock;
  try {
    clock = new SiteClock(timezone);
  } catch {
    throw new CliError(
      `--timezone must be an IANA time zone such as Asia/Shanghai, got "${timezone}"`,
    );
  }
  const parseTime = (s: string, name: string) => {
    try {
      return clock.parse(s);
    } catch {
      throw new CliError(`--${name} must be an ISO-8601 date or date-time, got "${s}"`);
    }
  };
  const target = v.target ?? null;
  const live = target !== null && v.from === undefined;
  const from =
    v.from !== undefined
      ? parseTime(v.from, 'from')
      : live || scenario === 'demo'
        ? now
        : clock.midnight(clock.date(now));
  const hours = num(v.hours, 'hours', 24, 0.001, 24 * 400);
  const to = v.to !== undefined ? parseTime(v.to, 'to') : from + hours * 3_600_000;
  if (to <= from) throw new CliError('--to must be after --from');
  const seed = v.seed ?? '1';
  const agents = Math.round(num(v.agents, 'agents', 200, 1, 200_000));
  const patienceText = v.patience ?? '120';
  const patienceS = patienceText === 'none' ? null : num(patienceText, 'patience', 120, 1, 86_400);
  const ts = v.ts ?? 'iso';
  if (ts !== 'iso' && ts !== 'epoch') throw new CliError('--ts must be iso or epoch');
  const handle = v.handle ?? (scenario === 'mmn' ? 'exponential' : 'lognormal');
  if (handle !== 'lognormal' && handle !== 'exponential')
    throw new CliError('--handle must be lognormal or exponential');
  let config: SimConfig;
  if (scenario === 'mmn') {
    if (v['calls-per-hour'] === undefined)
      throw new CliError('--scenario mmn needs --calls-per-hour');
    config = mmnScenario({
      agents,
      seed,
      from,
      hours: (to - from) / 3_600_000,
      site: v.site ?? 'mmn',
      timezone,
      tsFormat: ts,
      callsPerHour: num(v['calls-per-hour'], 'calls-per-hour', 0, 0, 1e7),
      ahtS: num(v.aht, 'aht', 300, 1, 86_400),
      patienceS,
    });
  } else if (scenario === 'demo') {
    config = {
      ...demoScenario({
        liveAt: from,
        prerollMin: 0,
        hours: (to - from) / 3_600_000,
        site: v.site ?? 'demo',
        timezone,
        seed,
        agents: v.agents ? agents : 300,
      }),
      tsFormat: ts,
    };
  } else {
    const r = DEFAULT_RATES;
    const rate = (name: keyof typeof OPTIONS, d: number) =>
      num(v[name] as string | undefined, name, d, 0, 1);
    config = siteScenario({
      site: v.site ?? 'sim',
      timezone,
      seed,
      from,
      to,
      agents,
      teamSize: Math.round(num(v['team-size'], 'team-size', 15, 1, 10_000)),
      queues: v.queues ? parseQueues(v.queues) : DEFAULT_QUEUES,
      callsPerHour:
        v['calls-per-hour'] !== undefined
          ? num(v['calls-per-hour'], 'calls-per-hour', 0, 0, 1e8)
          : null,
      call: {
        handle,
        ahtS: num(v.aht, 'aht', DEFAULT_CALL.ahtS, 1, 86_400),
        handleCv: num(v['handle-cv'], 'handle-cv', DEFAULT_CALL.handleCv, 0.01, 10),
        wrapFraction: num(v.wrap, 'wrap', DEFAULT_CALL.wrapFraction, 0, 0.9),
        holdProb: num(v.hold, 'hold', DEFAULT_CALL.holdProb, 0, 1),
        holdFraction: DEFAULT_CALL.holdFraction,
        ringS: num(v.ring, 'ring', DEFAULT_CALL.ringS, 0, 120),
        patienceS,
      },
      profile: v.profile ? parseProfile(v.profile) : DEFAULT_PROFILE,
      dow: v.dow ? parseDow(v.dow) : DEFAULT_DOW,
      profileShiftMs: 0,
      shifts: v.shifts ? parseShifts(v.shifts) : DEFAULT_SHIFTS,
      workforce: {
        ...r,
        absence: rate('absence', r.absence),
        late: rate('late', r.late),
        leaveEarly: rate('leave-early', r.leaveEarly),
        logoutLunch: rate('logout-lunch', r.logoutLunch),
        longBreak: rate('long-break', r.longBreak),
        ghost: rate('ghost', r.ghost),
        training: rate('training', r.training),
      },
      overflow: (v.overflow ?? []).map(parseOverflow),
      tsFormat: ts,
    });
    for (const rule of config.overflow) {
      const names = config.queues.map((q) => q.name);
      if (
        !names.includes(rule.queue) ||
        (rule.action.kind === 'overflow' && !names.includes(rule.action.to))
      )
        throw new CliError(
          `--overflow: queues of rule ${rule.id} must be among ${names.join(', ')}`,
        );
    }
  }
  return {
    config,
    out: v.out ?? null,
    target,
    speed: v.speed !== undefined ? num(v.speed, 'speed', 1, 0.01, 1e9) : live ? 1 : Infinity,
    // Live: 500 per message keeps latency low; back-fill: 5,000 per message, since each
    // message costs the server a commit round trip, a fixed cost per insert.
    batch: Math.round(
      num(v.batch, 'batch', live || v.speed !== undefined ? 500 : 5000, 1, 100_000),
    ),
    inFlight: Math.round(num(v['in-flight'], 'in-flight', 4, 1, 1000)),
    rosterOut: v['roster-out'] ?? null,
    live,
    upload: !v['no-upload'],
    validate: !v['no-validate'],
    progress: v.progress ?? false,
    help: v.help ?? false,
  };
}
