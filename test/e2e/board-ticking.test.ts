// The board ticks the longest wait and an agent's time out of adherence itself, from the
// instants the feed sends: both move on screen while no delta carries the queue or the
// agent again (a quiet 20,000-agent site then costs each board a few KB/s), in en and zh.
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
import { ev, figure, noonZone, putConfig, rosterAtWorkNow } from './e2e-util.js';

const SITE = 'e2e-tick';

/** m:ss or h:mm:ss as seconds. */
const seconds = (text: string): number =>
  text
    .trim()
    .split(':')
    .reduce((s, p) => s * 60 + Number(p), 0);

/** Seconds shown in the agent's adherence cell ("Out 1:32" / "未遵守 1:32"). */
async function outSeconds(page: Page): Promise<number> {
  const text = (await page.locator('[data-agent="a1"] .adh').textContent()) ?? '';
  const m = /(\d+(?::\d\d)+)/.exec(text);
  return m ? seconds(m[1] as string) : NaN;
}

describeBrowser('wallboard: durations tick from instants in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, { timezone: noonZone() });
    const now = Date.now();
    await rosterAtWorkNow(server.url, SITE, [{ agent: 'a1', team: 'red' }]);
    // a1 on break during work since 90 s ago (out of adherence); a call waiting since 30 s ago.
    const r = await postEvents(server, [
      ev(
        SITE,
        'agent.login',
        { agent: 'a1', name: 'Li', team: 'red', queues: ['q1'] },
        now - 90_000,
      ),
      ev(SITE, 'agent.state', { agent: 'a1', state: 'not_ready', reason: 'break' }, now - 90_000),
      ev(SITE, 'call.offered', { call: 'c1', queue: 'q1' }, now - 30_000),
    ]);
    expect(r.body.accepted).toBe(3);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it.each(['en-GB', 'zh-CN'])(
    '%s: longest wait and time out of adherence move while no delta resends them',
    async (locale) => {
      const ctx = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
        locale,
      });
      const page = await ctx.newPage();
      // Every board message after the first snapshot that names the queue or the agent again.
      let resent = 0;
      let snapshots = 0;
      page.on('websocket', (ws) =>
        ws.on('framereceived', (f) => {
          const text = String(f.payload);
          if (text.startsWith('{"type":"snapshot"')) snapshots++;
          // An interval roll resends the queues with fresh interval figures, rightly.
          else if (
            snapshots > 0 &&
            !text.includes('"interval_start"') &&
            (text.includes('"queue":"q1"') || text.includes('"agent":"a1"'))
          )
            resent++;
        }),
      );
      await page.goto(`${server.url}/site/${SITE}`);
      await page.waitForFunction(
        (lang) => document.documentElement.lang === lang,
        locale.startsWith('zh') ? 'zh-CN' : 'en',
      );
      await page.locator('[data-agent="a1"] .adh').waitFor();
      const wait0 = seconds((await figure(page, 'q1', 'longest_wait').textContent()) ?? '');
      const out0 = await outSeconds(page);
      expect(wait0).toBeGreaterThanOrEqual(29);
      // Out since the shift began an hour ago (signed out, then on break).
      expect(out0).toBeGreaterThanOrEqual(89);
      const resentBefore = resent;
      // Both figures move on by at least 3 s on the board's own clock.
      await page.waitForFunction(
        ([w0]) => {
          const t =
            document.querySelector('[data-queue="q1"] [data-figure="longest_wait"] .figure-value')
              ?.textContent ?? '';
          return (
            t
              .trim()
              .split(':')
              .reduce((s, p) => s * 60 + Number(p), 0) >=
            (w0 as number) + 3
          );
        },
        [wait0] as const,
        { timeout: 30_000 },
      );
      // Read a moment after the wait, out0 may already hold one more tick.
      expect(await outSeconds(page)).toBeGreaterThanOrEqual(out0 + 2);
      expect(resent - resentBefore).toBe(0);
      await screenshot(page, `board-ticking-${locale}`);
      await ctx.close();
    },
    120_000,
  );
});
