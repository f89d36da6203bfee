// A board whose site has many signed-out agents lists only the floor: who is signed in, who
// is rostered and never came; the grid's "Signed out too" switch loads the others and hides
// them again, a TV asks with ?signed_out=1; in en and zh. Agents moving in and out of the
// floor while the board is open follow the same rule.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { postEvents, startServer, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { ev, noonZone, putConfig, rosterAtWorkNow } from './e2e-util.js';

const SITE = 'e2e-signed-out';
const GONE = Array.from({ length: 40 }, (_, i) => `gone${String(i).padStart(2, '0')}`);
const WORDS = {
  'en-GB': { toggle: 'Signed out too', two: '2 agents', all: '42 agents', out: 'Logged out' },
  'zh-CN': { toggle: '含已签出', two: '2 名座席', all: '42 名座席', out: '已签出' },
} as const;

const rows = (page: Page) => page.locator('[data-agent]');
const count = (page: Page) => page.locator('.agent-grid h2 .count');
const toggle = (page: Page) => page.locator('[data-control="signed-out"]');

describeBrowser('wallboard: a site with many signed-out agents', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, { timezone: noonZone() });
    const now = Date.now();
    await rosterAtWorkNow(server.url, SITE, [{ agent: 'absent', team: 'red' }]);
    // 40 agents worked an earlier shift and signed out; "here" is on the floor now.
    const evs = [
      ev(SITE, 'agent.login', { agent: 'here', name: 'Li Na', team: 'red', queues: ['q1'] }),
      ev(SITE, 'agent.state', { agent: 'here', state: 'ready' }),
    ];
    GONE.forEach((agent, i) => {
      const t = now - 7_200_000 + i * 1000;
      evs.push(
        ev(SITE, 'agent.login', { agent, name: `Gone ${i}`, team: 'blue', queues: ['q1'] }, t),
        ev(SITE, 'agent.state', { agent, state: 'ready' }, t + 1),
        ev(SITE, 'agent.logout', { agent }, t + 3_000_000),
      );
    });
    expect((await postEvents(server, evs)).body.accepted).toBe(evs.length);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const open = async (locale: 'en-GB' | 'zh-CN', query = '') => {
    const ctx = await newSignedInContext(browser, server, {
      viewport: { width: 1920, height: 1080 },
      locale,
    });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}${query}`);
    await page.waitForFunction(
      (lang) => document.documentElement.lang === lang,
      locale === 'zh-CN' ? 'zh-CN' : 'en',
    );
    return { ctx, page };
  };

  for (const locale of ['en-GB', 'zh-CN'] as const)
    it(`desk in ${locale}: the floor only, then signed-out agents on the switch`, async () => {
      const w = WORDS[locale];
      const { ctx, page } = await open(locale);
      await page.locator('[data-agent="here"]').waitFor();
      await page.locator('[data-agent="absent"]').waitFor();
      expect(await count(page).textContent()).toBe(w.two);
      expect(await rows(page).count()).toBe(2);
      expect(
        (await page.locator('label:has([data-control="signed-out"])').innerText()).trim(),
      ).toBe(w.toggle);
      expect(await toggle(page).isChecked()).toBe(false);

      await toggle(page).check();
      await page.waitForFunction(
        (text) => document.querySelector('.agent-grid h2 .count')?.textContent === text,
        w.all,
      );
      // Sorted by state, signed-out agents come last: scroll to them.
      await page
        .locator('.agent-grid .scroller')
        .evaluate((el) => (el.scrollTop = el.scrollHeight));
      const last = page.locator(`[data-agent="${GONE.at(-1)}"]`);
      await last.waitFor();
      expect((await last.locator('.state').textContent())?.trim()).toBe(w.out);
      await screenshot(page, `signed-out-shown-${locale}`);

      await toggle(page).uncheck();
      await page.waitForFunction(
        (text) => document.querySelector('.agent-grid h2 .count')?.textContent === text,
        w.two,
      );
      expect(await rows(page).count()).toBe(2);
      await ctx.close();
    });

  it('TV in zh-CN: the floor only by default, everyone with ?signed_out=1', async () => {
    const tv = await open('zh-CN', '?tv=1');
    await tv.page.locator('[data-agent="here"]').waitFor();
    await tv.page.locator('[data-agent="absent"]').waitFor();
    expect(await rows(tv.page).count()).toBe(2);
    expect(await toggle(tv.page).count()).toBe(0);
    await tv.ctx.close();
    const all = await open('zh-CN', '?tv=1&signed_out=1');
    await all.page.waitForFunction(
      (text) => document.querySelector('.agent-grid h2 .count')?.textContent === text,
      WORDS['zh-CN'].all,
    );
    expect(await all.page.locator('[data-agent^="gone"]').count()).toBeGreaterThan(0);
    await all.ctx.close();
  });

  it('an agent who signs out leaves the open board, and one who signs in joins it', async () => {
    const { ctx, page } = await open('en-GB');
    await page.locator('[data-agent="here"]').waitFor();
    await postEvents(server, [
      ev(SITE, 'agent.logout', { agent: 'here' }),
      ev(SITE, 'agent.login', { agent: GONE[0], name: 'Gone 0', team: 'blue', queues: ['q1'] }),
      ev(SITE, 'agent.state', { agent: GONE[0], state: 'ready' }),
    ]);
    await page.locator('[data-agent="here"]').waitFor({ state: 'detached' });
    const back = page.locator(`[data-agent="${GONE[0]}"]`);
    await back.waitFor();
    expect((await back.locator('.state').textContent())?.trim()).toBe('Ready');
    expect(await rows(page).count()).toBe(2);
    await ctx.close();
  });
});
