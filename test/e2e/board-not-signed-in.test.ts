// An agent rostered for today who has sent no event yet never signed in: the agent grid says
// "Not signed in" / 未签入 with no time in state (not "Logged out 4:35:11" counted from the
// day's start), while a signed-in agent beside them shows their state and time in state;
// on the desk and on the TV, in en and zh. Once the absent agent signs in, their row is an
// ordinary one.
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

const SITE = 'e2e-absent';
const WORDS = {
  'en-GB': { missing: 'Not signed in', ready: 'Ready', loggedOut: 'Logged out' },
  'zh-CN': { missing: '未签入', ready: '空闲', loggedOut: '已签出' },
} as const;

const row = (page: Page, agent: string) => page.locator(`[data-agent="${agent}"]`);
const cell = async (page: Page, agent: string, c: 'state' | 'time') =>
  ((await row(page, agent).locator(`.${c}`).textContent()) ?? '').trim();

describeBrowser('wallboard: a rostered agent who never signed in', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, { timezone: noonZone() });
    const now = Date.now();
    await rosterAtWorkNow(server.url, SITE, [
      { agent: 'here', team: 'red' },
      { agent: 'away', team: 'red' },
    ]);
    // "here" signed in 2 minutes ago and is ready; "away" has sent nothing today.
    const r = await postEvents(server, [
      ev(
        SITE,
        'agent.login',
        { agent: 'here', name: 'Li Na', team: 'red', queues: ['q1'] },
        now - 120_000,
      ),
      ev(SITE, 'agent.state', { agent: 'here', state: 'ready' }, now - 120_000),
    ]);
    expect(r.body.accepted).toBe(2);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const locale of ['en-GB', 'zh-CN'] as const)
    for (const mode of ['desk', 'tv'] as const)
      it(`${mode} in ${locale}: "${WORDS[locale].missing}" with no time, beside a signed-in agent`, async () => {
        const w = WORDS[locale];
        const ctx = await newSignedInContext(browser, server, {
          viewport: { width: 1920, height: 1080 },
          locale,
        });
        // A live feed (a heartbeat now): a stale board freezes every time in state.
        expect((await postEvents(server, [ev(SITE, 'feed.heartbeat', {})])).body.accepted).toBe(1);
        const page = await ctx.newPage();
        await page.goto(`${server.url}/site/${SITE}${mode === 'tv' ? '?tv=1' : ''}`);
        await page.waitForFunction(
          (lang) => document.documentElement.lang === lang,
          locale === 'zh-CN' ? 'zh-CN' : 'en',
        );
        await row(page, 'away').waitFor();
        await row(page, 'here').waitFor();
        expect(await cell(page, 'away', 'state')).toBe(w.missing);
        expect(await cell(page, 'away', 'time')).toBe('');
        expect(await row(page, 'away').innerText()).not.toContain(w.loggedOut);
        // The signed-in agent: state and its time in state, from sign-in 2 minutes ago.
        expect(await cell(page, 'here', 'state')).toBe(w.ready);
        const [m, sec] = (await cell(page, 'here', 'time')).split(':').map(Number);
        expect((m ?? 0) * 60 + (sec ?? 0)).toBeGreaterThanOrEqual(120);
        await screenshot(page, `not-signed-in-${mode}-${locale}`);
        await ctx.close();
      });

  it('the absent agent signs in: an ordinary row with state and time', async () => {
    const ctx = await newSignedInContext(browser, server, {
      viewport: { width: 1920, height: 1080 },
      locale: 'en-GB',
    });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}`);
    await row(page, 'away').waitFor();
    expect(await cell(page, 'away', 'state')).toBe('Not signed in');
    const r = await postEvents(server, [
      ev(SITE, 'agent.login', { agent: 'away', name: 'Wang Bo', team: 'red', queues: ['q1'] }),
      ev(SITE, 'agent.state', { agent: 'away', state: 'ready' }),
    ]);
    expect(r.body.accepted).toBe(2);
    await page.waitForFunction(
      () => document.querySelector('[data-agent="away"] .state')?.textContent?.trim() === 'Ready',
    );
    expect(await cell(page, 'away', 'time')).toMatch(/^\d+:\d\d$/);
    await ctx.close();
  });
});
