// The admin pages in Chromium (issue 19): an admin creates users with roles per site and per
// team, disables and deletes them; makes kiosk and ingest tokens (shown once, copied), sees
// when a kiosk link was last used and revokes it; reads the audit log, filters it and
// exports it as CSV. A manager sees only the audit log; links a role may not use are hidden
// and the API refuses them anyway. Every page in English and in Chinese.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createUser, signIn, TEST_PASSWORD } from '../helpers/auth.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { postEvents, startServer, type TestServer } from '../helpers/server.js';
import { ev, putConfig } from './e2e-util.js';
import { contextAs, latinWords } from './ident-util.js';

const SITE = 'e2e-admin';

describeBrowser('wallboard: users, tokens and audit pages', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: BrowserContext;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, { timezone: 'Asia/Shanghai' });
    await postEvents(server, [ev(SITE, 'call.offered', { call: 'a1', queue: 'q1' })]);
    await createUser(server, 'mgr', [{ site: SITE, role: 'manager' }], TEST_PASSWORD, 'Manager Wu');
    await createUser(server, 'view', [{ site: SITE, role: 'viewer' }]);
    admin = await newSignedInContext(browser, server, {
      viewport: { width: 1600, height: 1000 },
      locale: 'en-GB',
    });
    await admin.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const submit = (page: Page, form: string) =>
    page.locator(`form[data-form="${form}"] button[type="submit"]`).click();

  it('creates a team lead with a team, changes roles, disables and deletes users (en)', async () => {
    const page = await admin.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${server.url}/admin/users`);
    const form = page.locator('form[data-form="create-user"]');
    await form.locator('select[name="site"]').first().waitFor();
    await form.locator('input[name="name"]').fill('chen.tl');
    await form.locator('input[name="display_name"]').fill('Chen Jie');
    await form.locator('input[name="password"]').fill(TEST_PASSWORD);
    await form.locator('select[name="role"]').first().selectOption('team_lead');
    await form.locator('select[name="site"]').first().selectOption(SITE);
    await form.locator('input[name="teams"]').fill('T1, T2');
    await submit(page, 'create-user');
    const row = page.locator('[data-user-row="chen.tl"]');
    await row.waitFor();
    expect(await row.locator('[data-roles]').textContent()).toBe(`Team lead · ${SITE} (T1, T2)`);
    const s = await signIn(server, 'chen.tl', TEST_PASSWORD);
    const me = await (await fetch(`${server.url}/api/auth/me`, { headers: s.headers() })).json();
    expect(me).toMatchObject({
      display_name: 'Chen Jie',
      grants: [{ site: SITE, role: 'team_lead', teams: ['T1', 'T2'] }],
    });

    // No password typed: one is generated and shown once, and it works.
    await form.locator('input[name="name"]').fill('gen.user');
    await submit(page, 'create-user');
    const shown = page.locator('[data-generated-password] code');
    await shown.waitFor();
    await signIn(server, 'gen.user', (await shown.textContent()) as string);

    // A refusal is shown as the server said it.
    await form.locator('input[name="name"]').fill('chen.tl');
    await submit(page, 'create-user');
    await expect(page.locator('[data-error]').textContent()).resolves.toContain(
      'user "chen.tl" already exists',
    );

    // Roles edited in place: now a shift lead of the site.
    await row.locator('[data-control="edit-roles"]').click();
    await row.locator('select[name="role"]').selectOption('shift_lead');
    await row.locator('form[data-form="edit-roles"] button[type="submit"]').click();
    await row.locator('[data-roles]', { hasText: 'Shift lead' }).waitFor();
    await screenshot(page, 'admin-users-en');

    await row.locator('[data-control="disable"]').click();
    await page.locator('[data-user-row="chen.tl"][data-disabled="true"]').waitFor();
    await expect(signIn(server, 'chen.tl', TEST_PASSWORD)).rejects.toThrow(/401/);
    await row.locator('[data-control="enable"]').click();
    await page.locator('[data-user-row="chen.tl"][data-disabled="false"]').waitFor();
    await signIn(server, 'chen.tl', TEST_PASSWORD);

    await page.locator('[data-user-row="gen.user"] [data-control="delete"]').click();
    await page.locator('[data-user-row="gen.user"]').waitFor({ state: 'detached' });
    await page.close();
  });

  it('makes a kiosk link shown once, sees it in use, and revokes it; makes an ingest token (en)', async () => {
    const page = await admin.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${server.url}/admin/tokens`);
    const form = page.locator('form[data-form="create-token"]');
    await form.locator('select[name="kind"]').selectOption('kiosk');
    await form.locator('input[name="site"]').fill(SITE);
    await form.locator('input[name="label"]').fill('Floor 3 TV');
    await submit(page, 'create-token');
    const made = page.locator('[data-new-token][data-kind="kiosk"]');
    await made.waitFor();
    const link = await made.locator('[data-secret]').inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/kiosk/fwk_`));
    await made.locator('[data-control="copy"]').click();
    await made.locator('[data-control="copy"]', { hasText: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    const id = (await made.getAttribute('data-new-token')) as string;
    const row = page.locator(`[data-token-row="${id}"]`);
    expect(await row.locator('[data-last-seen]').textContent()).toBe('never');
    await screenshot(page, 'admin-tokens-en');

    // A TV opens the link; the list then says when it was last seen.
    const tv = await browser.newContext();
    const tvPage = await tv.newPage();
    await tvPage.goto(link);
    await tvPage.locator('[data-queue]').first().waitFor({ timeout: 30_000 });
    await page.reload();
    await expect(row.locator('[data-last-seen]').textContent()).resolves.toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d$/,
    );
    await row.locator('[data-control="revoke"]').click();
    await page.locator(`[data-token-row="${id}"][data-revoked="true"]`).waitFor();
    await tvPage.locator('[data-ended="kiosk"]').waitFor({ timeout: 15_000 });
    await tv.close();

    // The secret is not in the list: reloading shows only the id.
    await page.reload();
    expect(await page.locator('[data-secret]').count()).toBe(0);
    expect(await page.content()).not.toContain(link.slice(-20));

    await form.locator('select[name="kind"]').selectOption('ingest');
    await form.locator('input[name="site"]').fill(SITE);
    await submit(page, 'create-token');
    const ingest = page.locator('[data-new-token][data-kind="ingest"]');
    await ingest.waitFor();
    const token = await ingest.locator('[data-secret]').inputValue();
    expect(token).toMatch(/^fwi_/);
    const res = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
      body: JSON.stringify(ev(SITE, 'call.offered', { call: 'a2', queue: 'q1' })),
    });
    expect(res.status).toBe(200);
    await page.close();
  });

  it('reads, filters and exports the audit log (en)', async () => {
    const page = await admin.newPage();
    await page.goto(`${server.url}/admin/audit`);
    await page.locator('[data-table="audit"]').waitFor();
    await page.locator('[data-audit-action="user.create"][data-actor="admin"]').first().waitFor();
    expect(await page.locator('[data-audit-action="token.revoke"]').count()).toBeGreaterThan(0);
    await page.locator('input[name="contains"]').fill('chen.tl');
    const rows = page.locator('[data-table="audit"] tbody tr');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-table="audit"] tbody tr').length <= 6,
    );
    for (const t of await rows.allTextContents()) expect(t).toContain('chen.tl');
    expect(await rows.first().locator('td').nth(3).textContent()).toMatch(
      /^(User created|User changed|Signed in)$/,
    );
    await screenshot(page, 'admin-audit-en');
    const href = (await page.locator('[data-control="audit-csv"]').getAttribute('href')) as string;
    expect(href).toContain('format=csv');
    const csv = await (await admin.request.get(`${server.url}${href}`)).text();
    expect(csv.split(/\r?\n/)[0]).toBe('at,site,actor,actor_kind,action,target,detail,address');
    expect(csv).toContain('user.create');
    expect(csv).toContain('token.revoke');
    await page.close();
  });

  it('shows a manager only the audit log, and a viewer none of these pages', async () => {
    const mgr = await contextAs(browser, server, 'mgr');
    const page = await mgr.newPage();
    await page.goto(`${server.url}/site/${SITE}/history`);
    const nav = page.locator('nav.user');
    await nav.locator('[data-display-name]').waitFor();
    const links = () =>
      nav.locator('[data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')));
    expect(await links()).toEqual(['settings', 'audit']);
    await page.goto(`${server.url}/admin/audit`);
    await page.locator('[data-table="audit"], [data-audit-empty]').first().waitFor();
    // The manager's entries are their site's only: nothing about users or tokens of no site.
    expect(await page.locator('[data-audit-action="user.create"]').count()).toBe(0);
    await page.goto(`${server.url}/admin/users`);
    await page.locator('[data-not-allowed]').waitFor();
    const s = await signIn(server, 'mgr');
    expect((await fetch(`${server.url}/api/users`, { headers: s.headers() })).status).toBe(403);
    await mgr.close();

    const viewer = await contextAs(browser, server, 'view');
    const vp = await viewer.newPage();
    await vp.goto(`${server.url}/site/${SITE}`);
    await vp.locator('nav.user [data-display-name]').waitFor();
    expect(await vp.locator('nav.user [data-nav]').count()).toBe(0);
    await vp.goto(`${server.url}/admin/tokens`);
    await vp.locator('[data-not-allowed]').waitFor();
    await viewer.close();
  });

  it('shows the users, tokens and audit pages in Chinese with no English word', async () => {
    const zh = await newSignedInContext(browser, server, {
      viewport: { width: 1600, height: 1000 },
      locale: 'zh-CN',
    });
    const page = await zh.newPage();
    const found: string[] = [];
    for (const section of ['users', 'tokens', 'audit']) {
      await page.goto(`${server.url}/admin/${section}`);
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      await page.locator(`[data-table="${section}"]`).waitFor();
      if (section === 'tokens') {
        await page.locator('input[name="site"]').fill(SITE);
        await submit(page, 'create-token');
        await page.locator('[data-new-token]').waitFor();
      }
      for (const w of await latinWords(page)) found.push(`${section}: ${w}`);
      await screenshot(page, `admin-${section}-zh`);
    }
    expect(await page.locator('[data-control="audit-csv"]').textContent()).toBe('导出 CSV');
    expect(found).toEqual([]);
    await zh.close();
  });
});
