// Single sign-on routes (OpenID Connect, adapters/auth/oidc.ts):
//   GET /api/auth/methods         what the sign-in page offers: password, and SSO with its label
//   GET /api/auth/oidc/start      redirects to the identity provider (?return=/site/x to come back there)
//   GET /api/auth/oidc/callback   the provider's redirect: checks the code, maps roles, starts a session
// The person becomes a Floorwatch user of source "oidc" whose grants are set from the claim
// mapping at every sign-in; a local account of the same name is never taken over.
import { CSRF_COOKIE, SESSION_COOKIE } from '../../auth/gate.js';
import { IdentityError, USER_RE, type Identity } from '../../auth/identity.js';
import { grantsFromClaims, type OidcLogin } from '../../auth/oidc.js';
import type { ApiResponse, Router } from '../router.js';
import { cookie, secure, type AuthRouteOptions } from './auth.js';

export const OIDC_FLOW_COOKIE = 'fw_oidc';

/** Only a path on this server (no //host, no scheme): no open redirect after sign-in. */
function localPath(raw: string | null): string {
  return raw && /^\/(?![/\\])[^\s]*$/.test(raw) ? raw : '/';
}

function cookieValue(header: string | undefined, name: string): string {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return '';
}

const text = (status: number, body: string): ApiResponse => ({
  status,
  body,
  headers: { 'Cache-Control': 'no-store' },
});

export function registerOidcRoutes(
  router: Router,
  identity: Identity,
  sso: OidcLogin | null,
  opts: AuthRouteOptions,
): void {
  router.add('GET', '/api/auth/methods', () => ({
    status: 200,
    body: {
      password: true,
      sso: sso ? { label: sso.cfg.label, start: '/api/auth/oidc/start' } : null,
    },
    headers: { 'Cache-Control': 'no-store' },
  }));

  router.add('GET', '/api/auth/oidc/start', async (req): Promise<ApiResponse> => {
    if (!sso) return text(404, 'Single sign-on is not configured on this server.');
    let flow;
    try {
      flow = await sso.start(localPath(req.query.get('return')));
    } catch (e) {
      if (e instanceof IdentityError) return text(e.status, e.message);
      return text(502, `The identity provider could not be reached: ${(e as Error).message}`);
    }
    return {
      status: 302,
      body: '',
      headers: { Location: flow.location, 'Cache-Control': 'no-store' },
      // Lax: the provider's redirect back is a cross-site top-level GET, which Lax lets through.
      cookies: [
        `${cookie(OIDC_FLOW_COOKIE, flow.flowId, {
          httpOnly: true,
          sameSite: 'Lax',
          maxAgeS: 600,
          secure: secure(req, opts),
        }).replace('Path=/;', 'Path=/api/auth/oidc;')}`,
      ],
    };
  });

  router.add('GET', '/api/auth/oidc/callback', async (req): Promise<ApiResponse> => {
    if (!sso) return text(404, 'Single sign-on is not configured on this server.');
    const sec = secure(req, opts);
    const clearFlow = cookie(OIDC_FLOW_COOKIE, '', {
      httpOnly: true,
      sameSite: 'Lax',
      maxAgeS: 0,
      secure: sec,
    }).replace('Path=/;', 'Path=/api/auth/oidc;');
    let claims: Record<string, unknown>;
    let returnTo: string;
    try {
      ({ claims, returnTo } = await sso.finish(
        req.query,
        cookieValue(req.headers['cookie'], OIDC_FLOW_COOKIE),
      ));
    } catch (e) {
      const status = e instanceof IdentityError ? e.status : 400;
      return {
        ...text(status, `Single sign-on failed: ${(e as Error).message}`),
        cookies: [clearFlow],
      };
    }
    const m = sso.mapping;
    const rawName = [claims[m.userClaim], claims['email'], claims['sub']].find(
      (v): v is string => typeof v === 'string' && USER_RE.test(v),
    );
    if (!rawName)
      return text(
        403,
        `Single sign-on: the provider's "${m.userClaim}", "email" and "sub" claims are not usable user names (letters, digits, ".", "_", "@", "-").`,
      );
    const grants = grantsFromClaims(m, claims);
    if (grants.length === 0)
      return text(
        403,
        `Signed in at the identity provider as ${rawName}, but no Floorwatch role is mapped from its "${m.claim}" claim. Ask an admin.`,
      );
    const display = typeof claims['name'] === 'string' ? claims['name'] : rawName;
    const existing = identity.getUser(rawName);
    if (existing && existing.source !== 'oidc')
      return text(
        403,
        `A local account is already called ${rawName}; single sign-on does not take it over. Ask an admin.`,
      );
    if (existing?.disabled) return text(403, `The account ${rawName} is disabled.`);
    if (!existing)
      await identity.createUser({
        name: rawName,
        display_name: display,
        password: null,
        grants,
        source: 'oidc',
      });
    else if (
      JSON.stringify(existing.grants) !== JSON.stringify(grants) ||
      existing.display_name !== display
    )
      await identity.updateUser(rawName, { grants, display_name: display });
    const s = await identity.startSession(rawName);
    const maxAgeS = Math.floor(opts.sessionIdleMs / 1000);
    return {
      status: 302,
      body: '',
      headers: { Location: returnTo, 'Cache-Control': 'no-store' },
      audit: [
        {
          site: '',
          action: 'auth.sign_in_sso',
          target: rawName,
          actor: rawName,
          detail: { grants },
        },
      ],
      cookies: [
        clearFlow,
        cookie(SESSION_COOKIE, s.sessionId, {
          httpOnly: true,
          sameSite: 'Strict',
          maxAgeS,
          secure: sec,
        }),
        cookie(CSRF_COOKIE, s.csrf, { httpOnly: false, sameSite: 'Strict', maxAgeS, secure: sec }),
      ],
    };
  });
}
