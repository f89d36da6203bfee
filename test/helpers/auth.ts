// Identity helpers for tests: make users and tokens through the real API (with the admin
// token) and sign in as a person, keeping the session cookie and CSRF token.
import type { BrowserContext } from 'playwright-core';
import { api } from './server.js';

export interface Grant {
  site: string;
  role: 'viewer' | 'team_lead' | 'shift_lead' | 'manager' | 'admin';
  teams?: string[];
}

export interface Session {
  user: string;
  /** The Cookie header value (session and CSRF cookies). */
  cookie: string;
  csrf: string;
  /** Headers for a request made as this person (cookie, CSRF token, same-origin Origin). */
  headers(extra?: Record<string, string>): Record<string, string>;
  /** Raw cookies for a browser context. */
  cookies: { name: string; value: string }[];
}

export const TEST_PASSWORD = 'test-password-long-enough';

export async function createUser(
  server: { url: string },
  name: string,
  grants: Grant[],
  password = TEST_PASSWORD,
  displayName?: string,
): Promise<void> {
  const res = await api(server, '/api/users', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name,
      password,
      grants,
      ...(displayName ? { display_name: displayName } : {}),
    }),
  });
  if (res.status !== 201)
    throw new Error(`creating user ${name}: ${res.status} ${await res.text()}`);
}

export async function signIn(
  server: { url: string },
  user: string,
  password = TEST_PASSWORD,
): Promise<Session> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, password }),
  });
  if (res.status !== 200)
    throw new Error(`signing in as ${user}: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => {
    const [pair] = c.split(';');
    const i = (pair as string).indexOf('=');
    return { name: (pair as string).slice(0, i), value: (pair as string).slice(i + 1) };
  });
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = ((await res.json()) as { csrf: string }).csrf;
  return {
    user,
    cookie,
    csrf,
    cookies,
    headers: (extra = {}) => ({
      Cookie: cookie,
      'X-CSRF-Token': csrf,
      Origin: server.url,
      ...extra,
    }),
  };
}

export interface MadeToken {
  id: string;
  token: string;
  link?: string;
}

export async function makeToken(
  server: { url: string },
  kind: 'ingest' | 'kiosk',
  site: string,
  extra: { board?: string; label?: string } = {},
): Promise<MadeToken> {
  const res = await api(server, '/api/tokens', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind, site, ...extra }),
  });
  if (res.status !== 201)
    throw new Error(`making a ${kind} token: ${res.status} ${await res.text()}`);
  return (await res.json()) as MadeToken;
}

export async function revokeToken(server: { url: string }, id: string): Promise<void> {
  const res = await api(server, `/api/tokens/${id}`, { method: 'DELETE' });
  if (res.status !== 200)
    throw new Error(`revoking token ${id}: ${res.status} ${await res.text()}`);
}

/** Signs a browser context in as the given person (the admin by default): its pages, fetches and sockets carry the session. */
export async function signInBrowser(
  context: BrowserContext,
  server: { url: string },
  user = 'admin',
  password?: string,
): Promise<Session> {
  const { TEST_ADMIN_PASSWORD } = await import('./server.js');
  const s = await signIn(
    server,
    user,
    password ?? (user === 'admin' ? TEST_ADMIN_PASSWORD : TEST_PASSWORD),
  );
  await context.addCookies(s.cookies.map((c) => ({ ...c, url: server.url })));
  return s;
}
