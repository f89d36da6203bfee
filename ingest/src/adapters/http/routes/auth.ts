// Sign-in and the session's own calls: POST /api/auth/login (limited per account and per
// address), POST /api/auth/logout, GET /api/auth/me, and GET /kiosk/{token}, which trades a
// kiosk link for a cookie and sends the TV to its board.
import { SignInAttempts, identityOf, type Principal } from '../../../core/access/index.js';
import { CSRF_COOKIE, KIOSK_COOKIE, SESSION_COOKIE } from '../../auth/gate.js';
import type { Identity } from '../../auth/identity.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { newSecret } from '../../auth/secrets.js';
import { HttpError, jsonBody, type ApiRequest, type ApiResponse, type Router } from '../router.js';

export interface AuthRouteOptions {
  /** Secure cookies (FLOORWATCH_COOKIE_SECURE=1 behind a TLS proxy; also when it says https). */
  cookieSecure: boolean;
  sessionIdleMs: number;
  now(): number;
}

export function cookie(
  name: string,
  value: string,
  o: { httpOnly: boolean; sameSite: 'Strict' | 'Lax'; maxAgeS: number; secure: boolean },
): string {
  return `${name}=${value}; Path=/; Max-Age=${o.maxAgeS}; SameSite=${o.sameSite}${o.httpOnly ? '; HttpOnly' : ''}${o.secure ? '; Secure' : ''}`;
}

export const secure = (req: ApiRequest, opts: AuthRouteOptions): boolean =>
  opts.cookieSecure || req.headers['x-forwarded-proto'] === 'https';

/** What a caller may see about themselves. */
export function describePrincipal(p: Principal | null): Record<string, unknown> {
  if (!p) return { kind: 'anonymous' };
  switch (p.kind) {
    case 'user':
      return { kind: 'user', user: p.user, display_name: p.display, grants: p.grants };
    case 'kiosk':
      return { kind: 'kiosk', token_id: p.tokenId, site: p.site, board: p.board };
    case 'ingest':
      return { kind: 'ingest', token_id: p.tokenId, site: p.site };
    case 'admin_token':
      return { kind: 'admin_token', user: identityOf(p), grants: [{ site: '*', role: 'admin' }] };
  }
}

export function registerAuthRoutes(
  router: Router,
  identity: Identity,
  opts: AuthRouteOptions,
): void {
  const attempts = new SignInAttempts();
  // Verified against when the account does not exist, so both answers take as long.
  const dummyHash = hashPassword(newSecret(''));

  router.add('POST', '/api/auth/login', async (req): Promise<ApiResponse> => {
    const body = jsonBody(req) as Record<string, unknown> | null;
    const name = typeof body?.['user'] === 'string' ? body['user'] : '';
    const password = typeof body?.['password'] === 'string' ? body['password'] : '';
    if (!name || !password) throw new HttpError(400, 'send {"user": "...", "password": "..."}');
    const address = req.remote ?? 'unknown';
    const now = opts.now();
    const wait = attempts.blockedFor(name, address, now);
    if (wait > 0) {
      const s = Math.ceil(wait / 1000);
      return {
        status: 429,
        body: { error: `too many failed sign-ins; try again in ${s} s` },
        headers: { 'Retry-After': String(s) },
      };
    }
    const user = identity.userForSignIn(name);
    const ok = await verifyPassword(user?.password_hash || (await dummyHash), password);
    if (!user || !ok) {
      attempts.fail(name, address, opts.now());
      return { status: 401, body: { error: 'wrong user name or password' } };
    }
    attempts.succeed(name);
    const s = await identity.startSession(user.name);
    const maxAgeS = Math.floor(opts.sessionIdleMs / 1000);
    const sec = secure(req, opts);
    return {
      status: 200,
      body: {
        user: user.name,
        display_name: user.display_name || user.name,
        grants: JSON.parse(user.grants) as unknown,
        csrf: s.csrf,
      },
      headers: { 'Cache-Control': 'no-store' },
      audit: [{ site: '', action: 'auth.sign_in', target: user.name, actor: user.name }],
      cookies: [
        cookie(SESSION_COOKIE, s.sessionId, {
          httpOnly: true,
          sameSite: 'Strict',
          maxAgeS,
          secure: sec,
        }),
        // Readable by our pages, which send it back as X-CSRF-Token: another site cannot read it.
        cookie(CSRF_COOKIE, s.csrf, { httpOnly: false, sameSite: 'Strict', maxAgeS, secure: sec }),
      ],
    };
  });

  router.add('POST', '/api/auth/logout', async (req) => {
    const p = req.access?.principal;
    if (p?.kind === 'user') await identity.endSession(p.session);
    const sec = secure(req, opts);
    return {
      status: 200,
      body: { signed_out: true },
      audit: [{ site: '', action: 'auth.sign_out', target: req.access?.identity ?? '' }],
      cookies: [
        cookie(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'Strict', maxAgeS: 0, secure: sec }),
        cookie(CSRF_COOKIE, '', { httpOnly: false, sameSite: 'Strict', maxAgeS: 0, secure: sec }),
      ],
    };
  });

  router.add('GET', '/api/auth/me', (req) => {
    const p = req.access?.principal ?? null;
    return { status: 200, body: describePrincipal(p), headers: { 'Cache-Control': 'no-store' } };
  });

  // A kiosk link never times out: the cookie lives ten years and the token until revoked.
  router.add('GET', '/kiosk/:token', (req): ApiResponse => {
    const token = req.params['token'] ?? '';
    const p = identity.machine(token);
    // 404, not 401: the link itself is the credential, and there is nothing to sign in to here.
    if (!p || p.kind !== 'kiosk')
      return {
        status: 404,
        body: 'This kiosk link is not valid: it was revoked or mistyped. Ask an admin for a new one.',
        headers: { 'Cache-Control': 'no-store' },
      };
    const board = p.board ? `&layout=${encodeURIComponent(p.board)}` : '';
    return {
      status: 302,
      body: '',
      headers: {
        Location: `/site/${encodeURIComponent(p.site)}?tv=1${board}`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      },
      cookies: [
        cookie(KIOSK_COOKIE, token, {
          httpOnly: true,
          sameSite: 'Lax',
          maxAgeS: 10 * 365 * 86400,
          secure: secure(req, opts),
        }),
      ],
    };
  });
}
