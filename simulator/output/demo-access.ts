// What `npm run demo` makes through the admin API for a newcomer: an ingest token for the
// simulator, a kiosk link for a TV and a shift-lead account with a fresh password. Earlier
// demo kiosk links in the same data folder are revoked, so only the printed one works.
import { randomBytes } from 'node:crypto';
import { bearer, ServerApiError } from './server-api.js';

export const DEMO_USER = 'demo.lead';
const DEMO_LABEL = 'npm run demo';

async function call(
  http: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${http}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...bearer(token) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  if (res.status >= 400 && res.status !== 409)
    throw new ServerApiError(
      'http_error',
      `${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`,
    );
  return { status: res.status, json };
}

export interface DemoAccess {
  ingestToken: string;
  kioskPath: string;
  user: string;
  password: string;
}

export async function setUpDemoAccess(
  http: string,
  adminToken: string,
  site: string,
): Promise<DemoAccess> {
  const listed = (await call(http, adminToken, 'GET', '/api/tokens')).json['tokens'] as {
    id: string;
    label: string;
    revoked_at: string | null;
  }[];
  for (const t of listed)
    if (t.label === DEMO_LABEL && t.revoked_at === null)
      await call(http, adminToken, 'DELETE', `/api/tokens/${t.id}`);
  const ingest = (
    await call(http, adminToken, 'POST', '/api/tokens', { kind: 'ingest', site, label: DEMO_LABEL })
  ).json;
  const kiosk = (
    await call(http, adminToken, 'POST', '/api/tokens', { kind: 'kiosk', site, label: DEMO_LABEL })
  ).json;
  const password = randomBytes(9).toString('base64url');
  const grants = [{ site, role: 'shift_lead' }];
  const made = await call(http, adminToken, 'POST', '/api/users', {
    name: DEMO_USER,
    display_name: 'Demo shift lead',
    password,
    grants,
  });
  if (made.status === 409)
    await call(http, adminToken, 'PUT', `/api/users/${DEMO_USER}`, { password, grants });
  return {
    ingestToken: String(ingest['token']),
    kioskPath: String(kiosk['link']),
    user: DEMO_USER,
    password,
  };
}
