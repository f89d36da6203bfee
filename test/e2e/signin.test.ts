// Sign-in in Chromium (issue 19): a board visit without credentials goes to the sign-in page
// and back after signing in; wrong passwords and the per-account limit are said plainly;
// the header shows the person's name and role, and signs out. A TV's kiosk link opens the
// board with no sign-in. In English and in Chinese.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createUser, makeToken, TEST_PASSWORD } from '../helpers/auth.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  screenshot,
} from '../helpers/browser.js';
import { postEvents, startServer, type TestServer } from '../helpers/server.js';
import { ev, putConfig } from './e2e-util.js';
import { latinWords } from './ident-util.js';

const SITE = 'e2e-signin';

describeBrowser('wallboard: sign-in, header and sign-out', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, {
      timezone: 'Asia/Shanghai',
      queues: { q1: { threshold_s: 20, target: 0.8, label: 'Sales', label_zh: '销售' } },
    });
    await postEvents(server, [ev(SITE, 'call.offered', { call: 'c1', queue: 'q1' })]);
    await createUser(
      server,
      'li.lead',
      [{ site: SITE, role: 'shift_lead' }],
      TEST_PASSWORD,
      'Li Na',
    );
    await createUser(
      server,
      'zhao.view',
      [{ site: SITE, role: 'viewer' }],
      TEST_PASSWORD,
      '赵观察',
    );
    await createUser(server, 'locked.out', [{ site: SITE, role: 'viewer' }]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('sends an anonymous visit to sign-in, refuses a wrong password, and comes back signed in (en)', async () => {
    const ctx = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 1600, height: 1000 },
    });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}/history`);
    await page.waitForURL(/\/signin\?next=/);
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/site/${SITE}/history`);

    await page.locator('input[name="user"]').fill('li.lead');
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.locator('form[data-form="signin"] button[type="submit"]').click();
    await expect(page.locator('[data-signin-error]').textContent()).resolves.toBe(
      'Wrong user name or password.',
    );
    await page.locator('input[name="password"]').fill(TEST_PASSWORD);
    await page.locator('form[data-form="signin"] button[type="submit"]').click();
    await page.waitForURL(`${server.url}/site/${SITE}/history`);

    // The board: the person's name and role on this site, and sign-out.
    await page.goto(`${server.url}/site/${SITE}`);
    const user = page.locator('nav.user');
    await user.locator('[data-display-name]').waitFor();
    expect(await user.locator('[data-display-name]').textContent()).toBe('Li Na');
    expect(await user.locator('[data-role]').textContent()).toBe('Shift lead');
    // A shift lead enters excused time (settings) but has no users, tokens or audit pages.
    expect(
      await user
        .locator('[data-nav]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-nav'))),
    ).toEqual(['settings']);
    await screenshot(page, 'signin-header-en');
    await user.locator('[data-control="sign-out"]').click();
    await page.waitForURL(/\/signin$/);
    await page.goto(`${server.url}/site/${SITE}`);
    await page.waitForURL(/\/signin\?next=/);
    await ctx.close();
  });

  it('says how long to wait once an account has too many failed sign-ins (en)', async () => {
    const ctx = await browser.newContext({ locale: 'en-GB' });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/signin`);
    await page.locator('input[name="user"]').fill('locked.out');
    let text = '';
    for (let i = 0; i < 8 && !text.startsWith('Too many'); i++) {
      await page.locator('input[name="password"]').fill(`wrong-${i}`);
      await page.locator('form[data-form="signin"] button[type="submit"]').click();
      await page.locator('[data-signin-error]').waitFor();
      await page.waitForFunction(
        () => !document.querySelector('form[data-form="signin"] button[disabled]'),
      );
      text = (await page.locator('[data-signin-error]').textContent()) ?? '';
    }
    expect(text).toMatch(/^Too many failed sign-ins\. Try again in \d+ s\.$/);
    // Even the right password is refused while the account is limited.
    await page.locator('input[name="password"]').fill(TEST_PASSWORD);
    await page.locator('form[data-form="signin"] button[type="submit"]').click();
    await page.waitForFunction(
      () => !document.querySelector('form[data-form="signin"] button[disabled]'),
    );
    expect(await page.locator('[data-signin-error]').textContent()).toMatch(/^Too many/);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await ctx.close();
  });

  it('signs in and shows the header in Chinese, with no English word on the page (zh)', async () => {
    const ctx = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1600, height: 1000 },
    });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}`);
    await page.waitForURL(/\/signin\?next=/);
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.locator('input[name="user"]').fill('zhao.view');
    await page.locator('input[name="password"]').fill('wrong-password');
    await page.locator('form[data-form="signin"] button[type="submit"]').click();
    expect(await page.locator('[data-signin-error]').textContent()).toBe('用户名或密码错误。');
    expect(await latinWords(page)).toEqual([]);
    await screenshot(page, 'signin-zh');

    await page.locator('input[name="password"]').fill(TEST_PASSWORD);
    await page.locator('form[data-form="signin"] button[type="submit"]').click();
    await page.waitForURL(`${server.url}/site/${SITE}`);
    const user = page.locator('nav.user');
    await user.locator('[data-display-name]').waitFor();
    expect(await user.locator('[data-display-name]').textContent()).toBe('赵观察');
    expect(await user.locator('[data-role]').textContent()).toBe('只读用户');
    expect(await user.locator('[data-control="sign-out"]').textContent()).toBe('退出登录');
    await ctx.close();
  });

  it('opens the board from a kiosk link with no sign-in and no person in the header', async () => {
    const kiosk = await makeToken(server, 'kiosk', SITE, { label: 'wall 1' });
    const ctx = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 1920, height: 1080 },
    });
    const page = await ctx.newPage();
    await page.goto(`${server.url}${kiosk.link}`);
    await page.locator('[data-queue="q1"]').waitFor({ timeout: 30_000 });
    const url = new URL(page.url());
    expect(url.pathname).toBe(`/site/${SITE}`);
    expect(url.searchParams.get('tv')).toBe('1');
    expect(await page.locator('nav.user').count()).toBe(0);
    // The kiosk reads its board only: the history page's API refuses it, and it stays put.
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/');
    await ctx.close();
  });
});
