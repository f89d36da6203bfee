// Boards per audience in Debian's Chromium against the real server (issue 22): a manager
// saves a named layout (team B, queue q2, three tiles) with PUT /api/sites/{site}/boards/
// {name}; /site/{site}/board/{name} shows only that team's agents, that queue's tile and the
// chosen tiles, in en and zh; a kiosk link bound to the board opens it on a TV; a viewer may
// open it but not change it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, startServer, postEvents, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInPage,
  screenshot,
} from '../helpers/browser.js';
import { createUser, makeToken, signIn } from '../helpers/auth.js';
import { ev, putConfig } from './e2e-util.js';

const SITE = 'e2e-layouts';
const LAYOUT = {
  label: 'Team B',
  label_zh: 'B组大屏',
  teams: ['B'],
  queues: ['q2'],
  tiles: ['queues', 'agents', 'alerts'],
};

async function expectScoped(page: Page, label: string): Promise<void> {
  await page.locator('[data-layout="team-b"]').waitFor();
  expect((await page.locator('[data-layout="team-b"]').textContent())?.trim()).toBe(label);
  await page.locator('[data-queue="q2"]').waitFor();
  expect(await page.locator('[data-queue="q1"]').count()).toBe(0);
  await page.locator('[data-agent="b1"]').first().waitFor();
  expect(await page.locator('[data-agent="b2"]').count()).toBeGreaterThan(0);
  expect(await page.locator('[data-agent="a1"]').count()).toBe(0);
  // Tiles left out of the layout are not drawn.
  expect(await page.locator('[data-chart="live"]').count()).toBe(0);
}

describeBrowser('wallboard: boards per audience', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, {
      timezone: 'Asia/Shanghai',
      alerts: { stale_feed_s: 3600 },
    });
    const r = await postEvents(server, [
      ev(SITE, 'agent.login', { agent: 'a1', name: 'Ann', team: 'A', queues: ['q1'] }),
      ev(SITE, 'agent.state', { agent: 'a1', state: 'ready' }),
      ev(SITE, 'agent.login', { agent: 'b1', name: 'Bo', team: 'B', queues: ['q2'] }),
      ev(SITE, 'agent.state', { agent: 'b1', state: 'ready' }),
      ev(SITE, 'agent.login', { agent: 'b2', name: 'Bea', team: 'B', queues: ['q2'] }),
      ev(SITE, 'agent.state', { agent: 'b2', state: 'not_ready', reason: 'break' }),
      ev(SITE, 'call.offered', { call: 'c1', queue: 'q1' }),
      ev(SITE, 'call.offered', { call: 'c2', queue: 'q2' }),
    ]);
    expect(r.body.rejected).toEqual([]);
    const put = await api(server, `/api/sites/${SITE}/boards/team-b`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(LAYOUT),
    });
    expect(put.status).toBe(200);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('lists the saved board, refuses a bad one, and lets a viewer open but not change it', async () => {
    const list = await api(server, `/api/sites/${SITE}/boards`);
    expect(((await list.json()) as { boards: unknown }).boards).toEqual({ 'team-b': LAYOUT });
    const bad = await api(server, `/api/sites/${SITE}/boards/x`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tiles: ['clock'] }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('x.tiles must be a non-empty list of');
    await createUser(server, 'viewer1', [{ site: SITE, role: 'viewer' }]);
    const viewer = await signIn(server, 'viewer1');
    const read = await fetch(`${server.url}/api/sites/${SITE}/boards`, {
      headers: viewer.headers(),
    });
    expect(read.status).toBe(200);
    const write = await fetch(`${server.url}/api/sites/${SITE}/boards/team-b`, {
      method: 'PUT',
      headers: viewer.headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ teams: ['A'] }),
    });
    expect(write.status).toBe(403);
  });

  for (const [lang, label] of [
    ['en', 'Team B'],
    ['zh-CN', 'B组大屏'],
  ] as const) {
    it(`opens the team board by URL with only its team, queue and tiles (${lang})`, async () => {
      const page = await newSignedInPage(browser, server, {
        viewport: { width: 1920, height: 1080 },
      });
      await page.addInitScript((l) => localStorage.setItem('floorwatch.locale', l), lang);
      await page.goto(`${server.url}/site/${SITE}/board/team-b`);
      await expectScoped(page, label);
      await screenshot(page, `board-layout-team-b-${lang}`);
      // The whole site is still one URL away.
      await page.goto(`${server.url}/site/${SITE}`);
      await page.locator('[data-queue="q1"]').waitFor();
      await page.close();
    });
  }

  it('opens the board a kiosk link is bound to, on a TV', async () => {
    const kiosk = await makeToken(server, 'kiosk', SITE, { board: 'team-b', label: 'team B wall' });
    const ctx = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1920, height: 1080 },
    });
    const page = await ctx.newPage();
    await page.addInitScript(() => localStorage.setItem('floorwatch.locale', 'zh-CN'));
    await page.goto(`${server.url}${kiosk.link}`);
    await expectScoped(page, 'B组大屏');
    expect(new URL(page.url()).searchParams.get('layout')).toBe('team-b');
    await screenshot(page, 'board-layout-kiosk-zh-CN');
    await ctx.close();
  });
});
