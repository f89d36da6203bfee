// Acknowledgement with identity (issues 19 and 22), in Chromium: a shift lead signs in on the
// sign-in page, acknowledges an alert with a note and sees their own name on it; nobody
// types a name. A viewer is not offered the button and the API refuses them. A team lead is
// offered it only on their own team's alerts. In English and in Chinese.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createUser, signIn, TEST_PASSWORD } from '../helpers/auth.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  screenshot,
} from '../helpers/browser.js';
import { api, postEvents, startServer, waitFor, type TestServer } from '../helpers/server.js';
import { ev, noonZone, putConfig, rosterAtWorkNow } from './e2e-util.js';
import { contextAs } from './ident-util.js';

const SITE = 'e2e-ack';

interface AlertRow {
  id: string;
  kind: string;
  queue: string | null;
  team: string | null;
  acked_by: string | null;
  ack_note: string | null;
}

describeBrowser('wallboard: acknowledgement carries the signed-in person', () => {
  let server: TestServer;
  let browser: Browser;

  const alerts = async (): Promise<AlertRow[]> =>
    ((await (await api(server, `/api/alerts?site=${SITE}`)).json()) as { alerts: AlertRow[] })
      .alerts;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    const rule = (queue: string) => ({
      id: `of-${queue}`,
      queue,
      conditions: { waiting_gte: 2 },
      mode: 'any',
      hold_down_s: 1,
      clear_down_s: 600,
      level: 'red',
      action: { kind: 'overflow', to: 'backup' },
    });
    await putConfig(server.url, SITE, {
      timezone: noonZone(),
      queues: {
        q1: { threshold_s: 20, target: 0.8, label: 'Sales', label_zh: '销售' },
        q2: { threshold_s: 20, target: 0.8, label: 'Care', label_zh: '客服' },
      },
      alerts: { adherence_out_s: 10 },
      overflow_rules: [rule('q1'), rule('q2')],
    });
    // Two agents of two teams rostered to work now, both on a break for a minute: one
    // out-of-adherence alert per team.
    const now = Date.now();
    await rosterAtWorkNow(
      server.url,
      SITE,
      ['a1', 'a2'].map((agent, i) => ({ agent, team: `T${i + 1}` })),
    );
    await postEvents(server, [
      ev(
        SITE,
        'agent.login',
        { agent: 'a1', name: 'Wang Fang', team: 'T1', queues: ['q1'] },
        now - 120_000,
      ),
      ev(
        SITE,
        'agent.login',
        { agent: 'a2', name: 'Liu Yang', team: 'T2', queues: ['q1'] },
        now - 120_000,
      ),
      ev(SITE, 'agent.state', { agent: 'a1', state: 'not_ready', reason: 'break' }, now - 60_000),
      ev(SITE, 'agent.state', { agent: 'a2', state: 'not_ready', reason: 'break' }, now - 60_000),
      ...[1, 2].map((i) => ev(SITE, 'call.offered', { call: `q1-${i}`, queue: 'q1' })),
      ...[1, 2].map((i) => ev(SITE, 'call.offered', { call: `q2-${i}`, queue: 'q2' })),
    ]);
    await createUser(
      server,
      'wang.zb',
      [{ site: SITE, role: 'shift_lead' }],
      TEST_PASSWORD,
      '王值班长',
    );
    await createUser(
      server,
      'li.view',
      [{ site: SITE, role: 'viewer' }],
      TEST_PASSWORD,
      'Li Viewer',
    );
    await createUser(
      server,
      'zhao.tl',
      [{ site: SITE, role: 'team_lead', teams: ['T1'] }],
      TEST_PASSWORD,
      '赵班长',
    );
    // Both overflow alerts and both adherence alerts are up before any page opens.
    await waitFor(async () => {
      const a = await alerts();
      return (
        a.filter((x) => x.kind === 'overflow').length === 2 &&
        a.filter((x) => x.kind === 'adherence').length === 2
      );
    }, 60_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const card = (page: Page, queue: string) =>
    page.locator(`[data-tile="alerts"] [data-kind="overflow"][data-alert-queue="${queue}"]`);

  for (const [locale, queue] of [
    ['en-GB', 'q1'],
    ['zh-CN', 'q2'],
  ] as const) {
    it(`a shift lead signs in, acknowledges with a note and sees their name (${locale})`, async () => {
      const ctx = await browser.newContext({ locale, viewport: { width: 1920, height: 1080 } });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/site/${SITE}`);
      await page.waitForURL(/\/signin/);
      await page.locator('input[name="user"]').fill('wang.zb');
      await page.locator('input[name="password"]').fill(TEST_PASSWORD);
      await page.locator('form[data-form="signin"] button[type="submit"]').click();
      await page.waitForURL(`${server.url}/site/${SITE}`);
      const c = card(page, queue);
      await c.waitFor({ timeout: 30_000 });
      // Nobody types a name any more.
      expect(await page.locator('[data-tile="alerts"] input[name="lead"]').count()).toBe(0);
      await c.locator('button.ack').click();
      const form = c.locator('form.ask');
      expect(await form.locator('button[type="submit"]').textContent()).toBe(
        locale === 'zh-CN' ? '以 王值班长 的身份确认' : 'Acknowledge as 王值班长',
      );
      await form.locator('input[name="note"]').fill(`opened backup for ${queue}`);
      await form.locator('button[type="submit"]').click();
      await c.locator('[data-acked-by="王值班长"]').waitFor({ timeout: 15_000 });
      const acked = await waitFor(async () =>
        (await alerts()).find((a) => a.queue === queue && a.acked_by === '王值班长'),
      );
      expect(acked.ack_note).toBe(`opened backup for ${queue}`);
      await expect(c.locator('[data-acked-by]').textContent()).resolves.toContain('王值班长');
      await screenshot(page, `ack-identity-${locale}`);
      await ctx.close();
    });
  }

  it('does not offer a viewer the button, and the API refuses them', async () => {
    const ctx = await contextAs(browser, server, 'li.view');
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}`);
    await page
      .locator('[data-tile="alerts"] [data-kind="adherence"]')
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-tile="alerts"] [data-kind]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-tile="alerts"] button.ack').count()).toBe(0);
    const open = (await alerts()).find((a) => a.acked_by === null) as AlertRow;
    const s = await signIn(server, 'li.view');
    const res = await fetch(`${server.url}/api/alerts/${encodeURIComponent(open.id)}/ack`, {
      method: 'POST',
      headers: s.headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ note: 'not mine to ack' }),
    });
    expect(res.status).toBe(403);
    expect((await alerts()).find((a) => a.id === open.id)?.acked_by).toBeNull();
    await ctx.close();
  });

  it("offers a team lead the button on their own team's alert only", async () => {
    const ctx = await contextAs(browser, server, 'zhao.tl');
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}`);
    const mine = page.locator('[data-tile="alerts"] [data-kind="adherence"][data-alert-team="T1"]');
    const theirs = page.locator(
      '[data-tile="alerts"] [data-kind="adherence"][data-alert-team="T2"]',
    );
    await mine.waitFor({ timeout: 30_000 });
    await theirs.waitFor();
    expect(await theirs.locator('button.ack').count()).toBe(0);
    await mine.locator('button.ack').click();
    await mine.locator('form.ask button[type="submit"]').click();
    await mine.locator('[data-acked-by="赵班长"]').waitFor({ timeout: 15_000 });
    // The other team's alert is refused by the server too.
    const other = (await alerts()).find(
      (a) => a.kind === 'adherence' && a.team === 'T2',
    ) as AlertRow;
    const s = await signIn(server, 'zhao.tl');
    const res = await fetch(`${server.url}/api/alerts/${encodeURIComponent(other.id)}/ack`, {
      method: 'POST',
      headers: s.headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({}),
    });
    expect(res.status).toBe(403);
    await ctx.close();
  });
});
