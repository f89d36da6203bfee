// Reads the environment once into a frozen, typed configuration. A bad value names its
// variable and stops start-up.
import path from 'node:path';
import { DEFAULT_RETRY } from './core/alerts/webhook-retry.js';
import { normaliseAllowHosts } from './core/alerts/webhook-target.js';
import { parseTrustedProxies, type TrustedProxies } from './core/access/forwarded.js';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  storage: 'embedded' | 'server';
  clickhouse: { url: string; user: string; password: string; database: string };
  allowUwsFallback: boolean;
  /** Writer: flush when a batch reaches this many rows … */
  flushRows: number;
  /** … or this many ms after its first row. */
  flushMs: number;
  /** Hard caps for one insert, and the backlog at which producers are told to back off. */
  maxInsertRows: number;
  maxInsertBytes: number;
  /** Inserts into one table running at once. */
  insertConcurrency: number;
  maxBacklogRows: number;
  maxBodyBytes: number;
  maxLineBytes: number;
  maxBatchLines: number;
  maxFutureSkewMs: number;
  maxPastMs: number;
  latenessMs: number;
  /** Finished calls kept per site for late events before the oldest are folded early. */
  maxHeldCalls: number;
  /** Memory ceiling of those held calls per site (bytes); past it they are folded within the lateness window too. */
  maxHeldBytes: number;
  /** Stored events read per page by the restart replay (what it holds in memory at once). */
  replayPageRows: number;
  /** Seconds between live-state checkpoints of a changed site (0: none are written or read). */
  checkpointS: number;
  /** Event ids held in memory for dedupe before older events are looked up in the store. */
  dedupeMaxIds: number;
  /** Overflow-rule webhooks: attempts in all, the delay before the 2nd (doubled each time), and the per-attempt timeout. */
  webhook: {
    attempts: number;
    baseDelayMs: number;
    timeoutMs: number;
    /** FLOORWATCH_WEBHOOK_ALLOW_HOSTS: internal hosts or addresses an admin allows as webhook targets. */
    allowHosts: readonly string[];
  };
  boardHz: number;
  /** FLOORWATCH_BOARD_MAX_BUFFERED_MIB: unsent bytes over all board sockets together. */
  boardMaxBufferedBytes: number;
  logLevel: string;
  serveWallboard: boolean;
  /** Build stored report facts in the background (off in tests, which assert on exact stored rows). */
  factsWarmer: boolean;
  /** FLOORWATCH_REPORT_WAIT_S: how long a history report waits for its facts' build before a 503. */
  reportWaitMs: number;
  /** Per-site access keys of the Amazon Connect (Firehose) endpoint: site → key. */
  connectAccessKeys: Readonly<Record<string, string>>;
  /** Identity and access (docs/security.md). */
  auth: {
    /** FLOORWATCH_ADMIN_TOKEN: an admin bearer token on every route (automation, tests). */
    adminToken: string | null;
    /** FLOORWATCH_ADMIN_PASSWORD: the first admin's password on an empty data folder (else generated and logged once). */
    adminPassword: string | null;
    /** FLOORWATCH_METRICS_OPEN=1: /metrics without a token. */
    metricsOpen: boolean;
    /** FLOORWATCH_ALLOWED_ORIGINS: origins (besides the server's own) whose pages may call the API and open sockets. */
    allowedOrigins: string[];
    /** FLOORWATCH_COOKIE_SECURE=1: cookies only over HTTPS (behind a TLS-terminating proxy). */
    cookieSecure: boolean;
    /** FLOORWATCH_SESSION_HOURS: a session ends this long after its last use. */
    sessionIdleMs: number;
    /** FLOORWATCH_TRUST_PROXY: proxies (addresses, CIDRs) whose X-Forwarded-For is believed. */
    trustProxy: TrustedProxies;
    /** OpenID Connect single sign-on (FLOORWATCH_OIDC_*), or null when not configured. */
    oidc: {
      issuer: string;
      clientId: string;
      clientSecret: string;
      /** The callback URL as the browser reaches it (registered at the provider). */
      redirectUrl: string;
      scope: string;
      /** The sign-in button's label. */
      label: string;
      /** FLOORWATCH_OIDC_ROLES parsed as JSON (checked by adapters/auth/oidc.ts). */
      roles: unknown;
      /** FLOORWATCH_OIDC_ALLOW_HTTP=1: an issuer over plain http (tests, local trials). */
      allowHttp: boolean;
    } | null;
  };
}

export class ConfigEnvError extends Error {
  readonly code = 'bad_env';
}

function int(
  env: NodeJS.ProcessEnv,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new ConfigEnvError(`${key} must be an integer from ${min} to ${max}, got "${raw}"`);
  return v;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Readonly<AppConfig> {
  const url = env['CLICKHOUSE_URL'] ?? '';
  return Object.freeze({
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env['HOST'] ?? '0.0.0.0',
    dataDir: path.resolve(env['FLOORWATCH_DATA'] ?? './data'),
    storage: url ? 'server' : 'embedded',
    clickhouse: {
      url,
      user: env['CLICKHOUSE_USER'] ?? 'default',
      password: env['CLICKHOUSE_PASSWORD'] ?? '',
      database: env['CLICKHOUSE_DATABASE'] ?? 'floorwatch',
    },
    allowUwsFallback: env['FLOORWATCH_ALLOW_UWS_FALLBACK'] === '1',
    // 10k rows: an insert has a fixed cost of its own and per materialized view, so larger
    // inserts take far more rows per second (docs/benchmarks.md).
    flushRows: int(env, 'FLOORWATCH_FLUSH_ROWS', 10_000, 1, 1_000_000),
    // 50 ms: the event-to-board p99 budget is 250 ms; a half-empty batch waits at most this.
    flushMs: int(env, 'FLOORWATCH_FLUSH_MS', 50, 1, 10_000),
    // 100k rows / 64 MiB per insert: chdb's memory peak grows with the rows of one insert,
    // and a single JS string must stay far below V8's ~512 MB limit.
    maxInsertRows: int(env, 'FLOORWATCH_MAX_INSERT_ROWS', 100_000, 1, 1_000_000),
    maxInsertBytes: int(
      env,
      'FLOORWATCH_MAX_INSERT_BYTES',
      64 * 1024 * 1024,
      1024,
      256 * 1024 * 1024,
    ),
    // 1: the embedded engine runs one insert at a time (two 10k-row inserts started together
    // take twice as long as one), and a second slot only splits the rows into smaller, dearer
    // inserts; while an insert runs the next batch grows instead. A ClickHouse server may
    // take more (FLOORWATCH_INSERT_CONCURRENCY).
    insertConcurrency: int(env, 'FLOORWATCH_INSERT_CONCURRENCY', 1, 1, 8),
    // Past 400k rows of backlog (4 s at the 100k events/s ingest goal), new batches are
    // refused with a retryable error instead of growing memory.
    maxBacklogRows: int(env, 'FLOORWATCH_MAX_BACKLOG_ROWS', 400_000, 1000, 10_000_000),
    maxBodyBytes: int(env, 'FLOORWATCH_MAX_BODY_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxLineBytes: int(env, 'FLOORWATCH_MAX_LINE_BYTES', 8 * 1024, 256, 1024 * 1024),
    maxBatchLines: int(env, 'FLOORWATCH_MAX_BATCH_LINES', 100_000, 1, 1_000_000),
    maxFutureSkewMs: int(env, 'FLOORWATCH_MAX_SKEW_MS', 5 * 60_000, 0, 86_400_000),
    maxPastMs: int(env, 'FLOORWATCH_MAX_PAST_DAYS', 400, 1, 36500) * 86_400_000,
    latenessMs: int(env, 'FLOORWATCH_LATENESS_MS', 10_000, 0, 3_600_000),
    maxHeldCalls: int(env, 'FLOORWATCH_MAX_HELD_CALLS', 100_000, 1000, 100_000_000),
    maxHeldBytes: int(env, 'FLOORWATCH_MAX_HELD_MIB', 256, 1, 65_536) * 2 ** 20,
    replayPageRows: int(env, 'FLOORWATCH_REPLAY_PAGE_ROWS', 10_000, 100, 1_000_000),
    // 60 s: a restart replays at most about a minute of events on top of the checkpoint (the
    // restart goal is 10 s to live figures), while a 20,000-agent site's checkpoint costs a
    // few hundred ms of one core per minute.
    checkpointS: int(env, 'FLOORWATCH_CHECKPOINT_S', 60, 0, 86_400),
    // 1M ids: 20 minutes at 830 events/s, above a 20,000-agent floor's peak of ~500 (memory
    // per id: bench/kept.md); past it memory covers less time and older events are looked up
    // in the store.
    dedupeMaxIds: int(env, 'FLOORWATCH_DEDUPE_MAX_IDS', 1_000_000, 1000, 100_000_000),
    webhook: Object.freeze({
      attempts: int(env, 'FLOORWATCH_WEBHOOK_ATTEMPTS', DEFAULT_RETRY.attempts, 1, 20),
      baseDelayMs: int(env, 'FLOORWATCH_WEBHOOK_RETRY_MS', DEFAULT_RETRY.baseDelayMs, 10, 600_000),
      timeoutMs: int(env, 'FLOORWATCH_WEBHOOK_TIMEOUT_MS', DEFAULT_RETRY.timeoutMs, 100, 120_000),
      allowHosts: Object.freeze(normaliseAllowHosts(list(env, 'FLOORWATCH_WEBHOOK_ALLOW_HOSTS'))),
    }),
    boardHz: int(env, 'FLOORWATCH_BOARD_HZ', 10, 1, 60),
    boardMaxBufferedBytes: int(env, 'FLOORWATCH_BOARD_MAX_BUFFERED_MIB', 256, 1, 65_536) * 2 ** 20,
    logLevel: env['LOG_LEVEL'] ?? 'info',
    serveWallboard: env['FLOORWATCH_NO_WALLBOARD'] !== '1',
    factsWarmer: env['FLOORWATCH_NO_FACTS_WARMER'] !== '1',
    reportWaitMs: int(env, 'FLOORWATCH_REPORT_WAIT_S', 20, 0, 3600) * 1000,
    connectAccessKeys: accessKeys(env, 'FLOORWATCH_CONNECT_ACCESS_KEYS'),
    auth: Object.freeze(readAuth(env)),
  });
}

/** A comma-separated list, blanks dropped. */
function list(env: NodeJS.ProcessEnv, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** `site=key,site2=key2`: each key at least 16 characters (Firehose sends it verbatim, up to 4096 bytes). */
function accessKeys(env: NodeJS.ProcessEnv, name: string): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const pair of (env[name] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf('=');
    const site = pair.slice(0, at);
    const key = pair.slice(at + 1);
    if (at < 1 || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(site))
      throw new ConfigEnvError(
        `${name} must be site=key pairs separated by commas; "${pair.slice(0, 40)}" has no valid site`,
      );
    if (key.length < 16 || key.length > 4096)
      throw new ConfigEnvError(`${name}: the key of site ${site} must be 16 to 4096 characters`);
    out[site] = key;
  }
  return Object.freeze(out);
}

function readOidc(env: NodeJS.ProcessEnv): AppConfig['auth']['oidc'] {
  const issuer = env['FLOORWATCH_OIDC_ISSUER'] ?? '';
  if (!issuer) return null;
  const need = (k: string): string => {
    const v = env[k] ?? '';
    if (!v) throw new ConfigEnvError(`${k} is required when FLOORWATCH_OIDC_ISSUER is set`);
    return v;
  };
  const redirectUrl = need('FLOORWATCH_OIDC_REDIRECT_URL');
  for (const [k, v] of [
    ['FLOORWATCH_OIDC_ISSUER', issuer],
    ['FLOORWATCH_OIDC_REDIRECT_URL', redirectUrl],
  ] as const)
    if (!/^https?:\/\/[^\s]+$/.test(v)) throw new ConfigEnvError(`${k} must be an http(s) URL`);
  let roles: unknown;
  try {
    roles = JSON.parse(need('FLOORWATCH_OIDC_ROLES'));
  } catch (e) {
    if (e instanceof ConfigEnvError) throw e;
    throw new ConfigEnvError(`FLOORWATCH_OIDC_ROLES must be JSON: ${(e as Error).message}`);
  }
  return {
    issuer,
    clientId: need('FLOORWATCH_OIDC_CLIENT_ID'),
    clientSecret: need('FLOORWATCH_OIDC_CLIENT_SECRET'),
    redirectUrl,
    scope: env['FLOORWATCH_OIDC_SCOPE'] || 'openid profile email',
    label: env['FLOORWATCH_OIDC_LABEL'] || 'Single sign-on',
    roles,
    allowHttp: env['FLOORWATCH_OIDC_ALLOW_HTTP'] === '1',
  };
}

function trustedProxies(env: NodeJS.ProcessEnv): TrustedProxies {
  try {
    return parseTrustedProxies(list(env, 'FLOORWATCH_TRUST_PROXY'));
  } catch (e) {
    throw new ConfigEnvError(`FLOORWATCH_TRUST_PROXY: ${(e as Error).message}`);
  }
}

function readAuth(env: NodeJS.ProcessEnv): AppConfig['auth'] {
  const adminToken = env['FLOORWATCH_ADMIN_TOKEN'] || null;
  // 24 characters: a guessable admin token would open every route.
  if (adminToken !== null && (adminToken.length < 24 || /\s/.test(adminToken)))
    throw new ConfigEnvError(
      'FLOORWATCH_ADMIN_TOKEN must be at least 24 characters without spaces (e.g. openssl rand -hex 24)',
    );
  const adminPassword = env['FLOORWATCH_ADMIN_PASSWORD'] || null;
  if (adminPassword !== null && adminPassword.length < 10)
    throw new ConfigEnvError('FLOORWATCH_ADMIN_PASSWORD must be at least 10 characters');
  const origins = (env['FLOORWATCH_ALLOWED_ORIGINS'] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of origins)
    if (!/^https?:\/\/[^/\s]+$/.test(o))
      throw new ConfigEnvError(
        `FLOORWATCH_ALLOWED_ORIGINS: "${o}" is not an origin like https://board.example.com`,
      );
  return {
    adminToken,
    adminPassword,
    metricsOpen: env['FLOORWATCH_METRICS_OPEN'] === '1',
    allowedOrigins: origins,
    cookieSecure: env['FLOORWATCH_COOKIE_SECURE'] === '1',
    sessionIdleMs: int(env, 'FLOORWATCH_SESSION_HOURS', 12, 1, 24 * 90) * 3_600_000,
    trustProxy: trustedProxies(env),
    oidc: readOidc(env),
  };
}
