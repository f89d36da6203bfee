// The board computes a team's login conformance and a work order's time left at its own clock,
// from instants the feed sent once (a conformance clock, a due time), in en and zh: with the
// page's clock fixed at the server's `at` it shows the server's figures, and fixed minutes
// later it shows what the definitions give then, while no delta resends the team or the
// quality block. An order passing into its last hour moves the count by a counts-only delta.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, authHeaders, postEvents, startServer, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import {
  formatCount,
  formatDuration,
  formatPercent,
  type Locale,
} from '../../wallboard/src/lib/format.js';
import type { LiveSnapshot } from '../../ingest/src/core/snapshot.js';
import { ev, noonZone, putConfig } from './e2e-util.js';

const SITE = 'e2e-figure-clocks';
const MIN = 60_000;
let shiftStart = 0;
let signIn = 0;

/** The tile's time left: whole minutes, a minus sign when overdue. */
const left = (s: number) => (s < 0 ? `−${formatDuration(-s)}` : formatDuration(s));
const leftAt = (due: string, t: number) => left(Math.floor((Date.parse(due) - t) / MIN) * 60);
/** Two agents rostered since shiftStart, a1 signed in since signIn, a2 never: the definition. */
const conformanceAt = (t: number) => (t - signIn) / (2 * (t - shiftStart));

describeBrowser('wallboard: conformance and time left tick on the board clock', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, { timezone: noonZone(), alerts: { stale_feed_s: 3600 } });
    const now = Date.now();
    shiftStart = now - 60 * MIN;
    signIn = now - 50 * MIN + 123;
    const roster = ['a1', 'a2'].map((agent) => ({
      agent,
      team: 'red',
      start: new Date(shiftStart).toISOString(),
      end: new Date(now + 60 * MIN).toISOString(),
      activity: 'work',
    }));
    const res = await fetch(`${server.url}/api/sites/${SITE}/roster`, {
      method: 'PUT',
      headers: authHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify(roster),
    });
    expect(res.ok).toBe(true);
    const r = await postEvents(server, [
      ev(SITE, 'agent.login', { agent: 'a1', team: 'red', queues: ['q1'] }, signIn),
      ev(SITE, 'agent.state', { agent: 'a1', state: 'ready' }, signIn + 1000),
      ev(
        SITE,
        'ticket.created',
        { ticket: 'WO-1', category: 'billing', class: 'urgent' },
        now - 20 * MIN,
      ),
      ev(SITE, 'ticket.signed', { ticket: 'WO-1' }, now - 19 * MIN),
    ]);
    expect(r.body.rejected).toEqual([]);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const conformanceCell = (page: Page) =>
    page.locator('[data-team="red"] [data-figure="conformance"] .figure-value');
  const leftCell = (page: Page) =>
    page.locator('[data-tile="quality"] tr[data-order="WO-1"] td:nth-child(4)');

  /** Waits until the board shows both texts (the board clock's 1 s timer picks up a new time). */
  async function shows(page: Page, conformance: string, timeLeft: string): Promise<void> {
    await page.waitForFunction(
      ([c, l]) =>
        document
          .querySelector('[data-team="red"] [data-figure="conformance"] .figure-value')
          ?.textContent?.trim() === c &&
        document
          .querySelector('[data-tile="quality"] tr[data-order="WO-1"] td:nth-child(4)')
          ?.textContent?.trim() === l,
      [conformance, timeLeft] as const,
      { timeout: 10_000 },
    );
  }

  it.each(['en', 'zh-CN'] as const)(
    '%s: the board at t shows the server figures at t, and ticks them on without a resend',
    async (locale: Locale) => {
      const ctx = await newSignedInContext(browser, server, {
        viewport: { width: 1920, height: 1080 },
      });
      await ctx.addInitScript((l) => localStorage.setItem('floorwatch.locale', l), locale);
      const page = await ctx.newPage();
      let snapshots = 0;
      let resent = 0;
      let counts = 0;
      page.on('websocket', (ws) =>
        ws.on('framereceived', (f) => {
          const text = String(f.payload);
          if (text.startsWith('{"type":"snapshot"')) snapshots++;
          else if (snapshots > 0 && (text.includes('"teams":') || text.includes('"quality":')))
            resent++;
          if (text.includes('"quality_counts":')) counts++;
        }),
      );
      await page.goto(`${server.url}/site/${SITE}`);
      await conformanceCell(page).waitFor({ timeout: 20_000 });
      await leftCell(page).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(
        locale === 'en' ? 'en' : 'zh-CN',
      );

      // An order replied in time passes into its last hour 12 s after it is posted: the
      // near-limit count moves on the board, carried by a delta of the counts alone.
      const near = () =>
        page
          .locator('[data-tile="quality"] [data-count="near"] b')
          .textContent()
          .then((x) => Number(x?.trim()));
      const near0 = await near();
      const c = Date.now() - 3 * 3_600_000 + 12_000;
      const ticket = `WO-near-${locale}`;
      const posted = await postEvents(server, [
        ev(SITE, 'ticket.created', { ticket, category: 'billing', class: 'urgent' }, c),
        ev(SITE, 'ticket.signed', { ticket }, c + MIN),
        ev(SITE, 'ticket.dispatched', { ticket, department: 'billing_center' }, c + 2 * MIN),
        ev(SITE, 'ticket.replied', { ticket }, c + 3 * MIN),
      ]);
      expect(posted.body.rejected).toEqual([]);
      await page.waitForFunction(
        (n) =>
          Number(
            document.querySelector('[data-tile="quality"] [data-count="near"] b')?.textContent,
          ) === n,
        near0 + 1,
        { timeout: 40_000 },
      );
      expect(counts).toBeGreaterThan(0);
      const resentBefore = resent;

      // The page's clock at the server's own instant: the server's figures, to the digit.
      const live = (await (await api(server, `/api/live?site=${SITE}`)).json()) as LiveSnapshot;
      const at = Date.parse(live.at);
      const team = live.teams.find((t) => t.team === 'red')!;
      const order = live.quality!.orders.find((o) => o.ticket === 'WO-1')!;
      expect(team.conformance_clock?.logged_in_now).toBe(1);
      expect(team.conformance_clock?.scheduled_now).toBe(2);
      await page.clock.setFixedTime(at);
      await shows(page, formatPercent(team.conformance, locale), left(order.time_left_s));

      // Ten minutes on: the figures the definitions give then (41.7% has become 42.9%).
      const t2 = at + 10 * MIN;
      expect(formatPercent(conformanceAt(t2), locale)).not.toBe(
        formatPercent(team.conformance, locale),
      );
      await page.clock.setFixedTime(t2);
      await shows(page, formatPercent(conformanceAt(t2), locale), leftAt(order.due, t2));
      // The team's conformance alert shows the same current figure beside its raise-time one.
      await page.waitForFunction(
        (want) =>
          document
            .querySelector('[data-kind="conformance"][data-alert-team="red"] [data-alert-now]')
            ?.textContent?.includes(want) ?? false,
        formatPercent(conformanceAt(t2), locale),
        { timeout: 10_000 },
      );
      // The explanation counts ticked too (seconds logged in ÷ seconds scheduled).
      await conformanceCell(page).hover();
      const tip = page.locator('[data-team="red"] [data-figure="conformance"] [role="tooltip"]');
      await tip.waitFor();
      const tipText = (await tip.textContent()) ?? '';
      expect(tipText).toContain(formatCount((t2 - signIn) / 1000, locale));
      expect(tipText).toContain(formatCount((2 * (t2 - shiftStart)) / 1000, locale));

      // Past its due time the order counts up in red.
      const t3 = Date.parse(order.due) + 90_000;
      await page.clock.setFixedTime(t3);
      await page.waitForFunction(
        (l) =>
          document
            .querySelector('[data-tile="quality"] tr[data-order="WO-1"] td:nth-child(4)')
            ?.textContent?.trim() === l,
        leftAt(order.due, t3),
        { timeout: 10_000 },
      );
      expect(leftAt(order.due, t3)).toBe('−2:00');
      expect(
        await page.locator('[data-tile="quality"] tr[data-order="WO-1"]').getAttribute('class'),
      ).toContain('tone-alarm');
      await screenshot(page, `board-figure-clocks-${locale}`);
      // No delta carried the team or the orders again. (A jump of hours on the page's clock
      // can look like a silent socket, and the board reconnects for a new snapshot: allowed.)
      expect(resent - resentBefore).toBe(0);
      expect(snapshots).toBeGreaterThanOrEqual(1);
      await ctx.close();
    },
    120_000,
  );
});
