// Single sign-on through OpenID Connect against a real identity provider run in the test
// (`oidc-provider`): Chromium starts at /api/auth/oidc/start, signs in at the provider,
// consents, and comes back to the board signed in; /api/auth/me shows the roles the claim
// mapping gives (per site, per team for a team lead). No mapped role, no session.
import net from 'node:net';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, startServer, type TestServer } from '../helpers/server.js';
import { describeBrowser, launchBrowser, screenshot } from '../helpers/browser.js';

const CLIENT_SECRET = 'oidc-test-client-secret-0123456789';
const GROUPS: Record<string, string[]> = {
  mei: ['bj-managers', 'sh-viewers'],
  tom: ['bj-team-a'],
  eve: ['canteen'],
};
const ROLES = {
  claim: 'groups',
  map: {
    'bj-managers': [{ site: 'BJ', role: 'manager' }],
    'sh-viewers': [{ site: 'SH', role: 'viewer' }],
    'bj-team-a': [{ site: 'BJ', role: 'team_lead', teams: ['A'] }],
  },
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describeBrowser('single sign-on (OpenID Connect)', () => {
  let server: TestServer;
  let idp: Server;
  let browser: Browser;

  beforeAll(async () => {
    const [idpPort, port] = [await freePort(), await freePort()];
    const issuer = `http://127.0.0.1:${idpPort}`;
    const redirect = `http://127.0.0.1:${port}/api/auth/oidc/callback`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'floorwatch',
          client_secret: CLIENT_SECRET,
          redirect_uris: [redirect],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      pkce: { required: () => true },
      claims: {
        openid: ['sub'],
        profile: ['name', 'preferred_username', 'groups'],
        email: ['email'],
      },
      findAccount: (_ctx, id) => ({
        accountId: id,
        claims: () => ({
          sub: id,
          preferred_username: id,
          name: `${id.toUpperCase()} Example`,
          email: `${id}@example.com`,
          groups: GROUPS[id] ?? [],
        }),
      }),
      cookies: { keys: ['oidc-test-cookie-key-0123456789'] },
      features: { devInteractions: { enabled: true } },
    });
    idp = provider.listen(idpPort, '127.0.0.1') as unknown as Server;
    server = await startServer({
      env: {
        PORT: String(port),
        FLOORWATCH_OIDC_ISSUER: issuer,
        FLOORWATCH_OIDC_CLIENT_ID: 'floorwatch',
        FLOORWATCH_OIDC_CLIENT_SECRET: CLIENT_SECRET,
        FLOORWATCH_OIDC_REDIRECT_URL: redirect,
        FLOORWATCH_OIDC_LABEL: 'Company SSO',
        FLOORWATCH_OIDC_ROLES: JSON.stringify(ROLES),
        FLOORWATCH_OIDC_ALLOW_HTTP: '1',
      },
    });
    expect(server.port).toBe(port);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await new Promise<void>((r) => (idp ? idp.close(() => r()) : r()));
  });

  /**
   * The whole flow in a fresh browser: the page sends the visitor to sign-in, whose SSO
   * button starts the flow; sign in at the provider, consent.
   */
  async function signInAs(login: string, returnTo: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'en-GB',
    });
    const page = await context.newPage();
    page.once('close', () => void context.close().catch(() => undefined));
    await page.goto(`${server.url}${returnTo}`);
    await page.waitForURL((u) => u.pathname === '/signin');
    const sso = page.locator('[data-control="sso"]');
    expect(await sso.textContent()).toBe('Sign in with Company SSO');
    await sso.click();
    // The provider's own login page (another origin).
    expect(new URL(page.url()).port).not.toBe(String(server.port));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').waitFor();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(
      (u) => u.port === String(server.port) && !u.pathname.startsWith('/api/auth/oidc/start'),
      {
        timeout: 30_000,
      },
    );
    return page;
  }

  const me = (page: Page) =>
    page.evaluate(async () => (await fetch('/api/auth/me')).json()) as Promise<{
      kind: string;
      user?: string;
      display_name?: string;
      grants?: unknown[];
    }>;

  it('tells the sign-in page that SSO is there, with its label', async () => {
    const res = await fetch(`${server.url}/api/auth/methods`);
    expect(await res.json()).toEqual({
      password: true,
      sso: { label: 'Company SSO', start: '/api/auth/oidc/start' },
    });
  });

  it('signs a manager in with code + PKCE and maps their groups to roles per site', async () => {
    const page = await signInAs('mei', '/site/BJ');
    expect(new URL(page.url()).pathname).toBe('/site/BJ');
    const who = await me(page);
    expect(who).toMatchObject({ kind: 'user', user: 'mei', display_name: 'MEI Example' });
    expect(who.grants).toEqual([
      { site: 'BJ', role: 'manager' },
      { site: 'SH', role: 'viewer' },
    ]);
    // The session is a real one: a manager's call on BJ works, an admin's does not.
    const calls = await page.evaluate(async () => ({
      bj: (await fetch('/api/sites/BJ/history')).status,
      users: (await fetch('/api/users')).status,
    }));
    expect(calls).toEqual({ bj: 200, users: 403 });
    await screenshot(page, 'oidc-signed-in');
    // Recorded as a user of source oidc, with no password.
    const users = (await (await api(server, '/api/users')).json()) as {
      users: { name: string; source: string }[];
    };
    expect(users.users.find((u) => u.name === 'mei')?.source).toBe('oidc');
    // And the sign-in is in the audit log, with the roles it was given.
    const audit = await (await api(server, '/api/audit')).text();
    expect(audit).toContain('auth.sign_in_sso');
    await page.close();
  });

  it('gives a team lead their team only', async () => {
    const page = await signInAs('tom', '/');
    const who = await me(page);
    expect(who.grants).toEqual([{ site: 'BJ', role: 'team_lead', teams: ['A'] }]);
    await page.close();
  });

  it('refuses a person with no mapped role, and starts no session', async () => {
    const page = await signInAs('eve', '/');
    expect(new URL(page.url()).pathname).toBe('/api/auth/oidc/callback');
    expect(await page.locator('body').innerText()).toContain('no Floorwatch role is mapped');
    const who = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(who).toBe(401);
    await page.close();
  });

  it('refuses a callback that this browser did not start', async () => {
    const res = await fetch(`${server.url}/api/auth/oidc/callback?code=forged&state=forged`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('was not started here');
  });
});
