// The access gate every HTTP request and WebSocket upgrade passes: finds the route's rule
// in the access table, reads the caller's credentials (bearer token, session cookie or
// kiosk cookie), checks Origin and the CSRF token on cookie requests that change state,
// and decides. Handlers get the result as req.access.
import type { Logger } from 'pino';
import {
  decide,
  identityOf,
  matchRule,
  NEED_CREDENTIALS,
  roleOn,
  sitesWith,
  teamsOn,
  type Principal,
  type Role,
  type RouteRule,
} from '../../core/access/index.js';
import type { Identity } from './identity.js';
import { sameSecret } from './secrets.js';

export const SESSION_COOKIE = 'fw_session';
export const CSRF_COOKIE = 'fw_csrf';
export const KIOSK_COOKIE = 'fw_kiosk';
export const CSRF_HEADER = 'x-csrf-token';

/** Amazon Data Firehose sends its access key in this header; it cannot send a bearer token. */
export const FIREHOSE_KEY_HEADER = 'x-amz-firehose-access-key';

export interface GateConfig {
  /** A configured per-site Firehose access key (FLOORWATCH_CONNECT_ACCESS_KEYS) for this site? */
  firehoseKeyOk?: (site: string, key: string) => boolean;
  /** FLOORWATCH_METRICS_OPEN=1: /metrics without a token. */
  metricsOpen: boolean;
  /** Origins allowed besides the server's own (FLOORWATCH_ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
}

/** What a handler learns about its caller. */
export interface Access {
  readonly principal: Principal | null;
  readonly rule: RouteRule;
  /** The site the request acts on, as its rule reads it (null: none named). */
  readonly site: string | null;
  /** Who in the audit log: a user's login name, or the token's kind and id. */
  readonly identity: string;
  /** The name shown on acks and excused time: a user's display name (else login). */
  readonly displayName: string;
  /** Admin tokens and ingest tokens may name another person (`by`, X-Floorwatch-User). */
  readonly mayNameOthers: boolean;
  /** Whether the caller holds one of the route's roles on a site. */
  allows(site: string): boolean;
  /** The sites out of `known` the caller may use on this route ('all': every site). */
  sites(known: readonly string[]): string[] | 'all';
  /** On a team-scoped route: the teams the caller may act for on the site ('all' above team lead). */
  teams(site: string): string[] | 'all';
}

export interface GateRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
}

export type GateResult =
  { ok: true; access: Access } | { ok: false; status: 401 | 403; error: string };

/** Parses a Cookie header (only the names we read are kept). */
export function readCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (k === SESSION_COOKIE || k === KIOSK_COOKIE || k === CSRF_COOKIE)
      out[k] = part.slice(i + 1).trim();
  }
  return out;
}

/** Listed for routes that are missing from the table: admins only, and a warning in the log. */
const UNLISTED: RouteRule = { method: 'GET', path: '(unlisted)', roles: ['admin'], site: 'global' };

export class Gate {
  private readonly warned = new Set<string>();

  constructor(
    readonly identity: Identity,
    private readonly cfg: GateConfig,
    private readonly log: Logger,
  ) {}

  /** Whether an Origin header (absent for non-browser clients) is the server's own or allowed. */
  originAllowed(origin: string | undefined, host: string | undefined): boolean {
    if (!origin) return true;
    if (this.cfg.allowedOrigins.includes(origin)) return true;
    if (!host) return false;
    return origin === `http://${host}` || origin === `https://${host}`;
  }

  /** The caller behind a request's credentials; 'bad' when a bearer token was sent but is not valid. */
  principal(
    headers: Record<string, string>,
    query?: URLSearchParams,
  ): { p: Principal | null; via: 'bearer' | 'session' | 'kiosk' | null } | 'bad' {
    const auth = headers['authorization'];
    const firehose = headers[FIREHOSE_KEY_HEADER];
    if (!auth && firehose) {
      // An ingest token, or the site's configured Firehose key (an ingest credential of that site).
      const site = query?.get('site') ?? '';
      const p =
        this.identity.bearer(firehose) ??
        (site && this.cfg.firehoseKeyOk?.(site, firehose)
          ? ({ kind: 'ingest', tokenId: 'firehose-key', site } as const)
          : null);
      return p ? { p, via: 'bearer' } : 'bad';
    }
    if (auth) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      if (!m) return 'bad';
      const p = this.identity.bearer(m[1] as string);
      return p ? { p, via: 'bearer' } : 'bad';
    }
    const cookies = readCookies(headers['cookie']);
    const sid = cookies[SESSION_COOKIE];
    if (sid) {
      const p = this.identity.session(sid);
      if (p) return { p, via: 'session' };
    }
    const kiosk = cookies[KIOSK_COOKIE];
    if (kiosk) {
      const p = this.identity.machine(kiosk);
      if (p?.kind === 'kiosk') return { p, via: 'kiosk' };
    }
    return { p: null, via: null };
  }

  check(req: GateRequest): GateResult {
    const m = matchRule(req.method, req.path);
    let rule: RouteRule;
    let params: Record<string, string> = {};
    if (m) ({ rule, params } = m);
    else {
      rule = UNLISTED;
      const key = `${req.method} ${req.path}`;
      if (req.path.startsWith('/api/') && !this.warned.has(key) && this.warned.size < 1000) {
        this.warned.add(key);
        this.log.warn(
          { route: key },
          'route has no entry in the access table (core/access/route-table.ts); only admins may call it',
        );
      }
    }
    const who = this.principal(req.headers, req.query);
    if (who === 'bad') {
      if (rule.roles === 'open') return { ok: true, access: this.access(rule, null, null) };
      return {
        ok: false,
        status: 401,
        error: 'the bearer token is not valid (mistyped, revoked or from another server)',
      };
    }
    const { p, via } = who;
    // A WebSocket upgrade is a GET that cannot carry our header; its Origin is checked instead.
    const unsafe = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'WS';
    if (via === 'session' || via === 'kiosk') {
      // Cookies ride along with requests a foreign page makes: check where it came from, and
      // the CSRF token (readable only by our own pages) on anything that changes state.
      if (!this.originAllowed(req.headers['origin'], req.headers['host']))
        return {
          ok: false,
          status: 403,
          error: `requests from origin ${req.headers['origin']} are not allowed`,
        };
      if (unsafe && p?.kind === 'user') {
        const sent = req.headers[CSRF_HEADER] ?? '';
        if (!sent || !sameSecret(sent, p.csrf))
          return {
            ok: false,
            status: 403,
            error: `a request made with a session cookie must send the ${CSRF_HEADER} header (the value of the ${CSRF_COOKIE} cookie)`,
          };
      }
    }
    const site = siteOf(rule, params, req.query);
    if (rule.path === '/metrics' && this.cfg.metricsOpen)
      return { ok: true, access: this.access(rule, p, site) };
    const d = decide(rule, p, site);
    if (!d.allow) return { ok: false, status: d.status, error: d.error };
    return { ok: true, access: this.access(rule, p, site) };
  }

  access(rule: RouteRule, p: Principal | null, site: string | null = null): Access {
    const roles: readonly Role[] = rule.roles === 'open' ? [] : rule.roles;
    return {
      principal: p,
      rule,
      site,
      identity: p ? identityOf(p) : 'anonymous',
      displayName: p?.kind === 'user' ? p.display || p.user : p ? identityOf(p) : 'anonymous',
      mayNameOthers: p?.kind === 'admin_token' || p?.kind === 'ingest',
      allows: (site) => (p ? roles.some((r) => roleOn(p, site) === r) : false),
      sites: (known) => (p ? sitesWith(p, roles, known) : []),
      teams: (site) => (p ? teamsOn(p, site) : []),
    };
  }
}

/** The site a request acts on, per its rule (null when the rule names none or it is absent). */
export function siteOf(
  rule: RouteRule,
  params: Record<string, string>,
  query: URLSearchParams,
): string | null {
  switch (rule.site) {
    case 'param':
      return params['site'] ?? null;
    case 'query':
    case 'query?':
      return query.get('site') || null;
    case 'alert': {
      const id = params['id'] ?? '';
      const i = id.indexOf(':');
      return i > 0 ? id.slice(0, i) : null;
    }
    default:
      return null;
  }
}

export { NEED_CREDENTIALS };
