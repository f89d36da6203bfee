// An overflow alert raised by real events appears on the board with its level and
// recommended action, and a shift lead acknowledges it there under their signed-in name.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { api, startServer, postEvents, waitFor, type TestServer } from '../helpers/server.js';
import { createUser, TEST_PASSWORD } from '../helpers/auth.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  screenshot,
  newSignedInContext,
} from '../helpers/browser.js';
import { ev, putConfig, waitForFigure } from './e2e-util.js';

const SITE = 'e2e-alerts';

interface AlertRow {
  id: string;
  kind: string;
  queue: string | null;
  acked_by: string | null;
  ack_note: string | null;
}

describeBrowser('wallboard: overflow alert acknowledged from the board', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    const rule = (id: string, queue: string, to: string) => ({
      id,
      queue,
      conditions: { waiting_gte: 3 },
      mode: 'any',
      hold_down_s: 1,
      clear_down_s: 600,
      level: 'red',
      action: { kind: 'overflow', to },
    });
    await putConfig(server.url, SITE, {
      timezone: 'Asia/Shanghai',
      overflow_rules: [rule('of-q1', 'q1', 'backup'), rule('of-q2', 'q2', 'backup')],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const alerts = async (): Promise<AlertRow[]> =>
    ((await (await api(server, `/api/alerts?site=${SITE}`)).json()) as { alerts: AlertRow[] })
      .alerts;

  it('raises an overflow alert on the board and acknowledges it as the named lead', async () => {
    // Acks carry the signed-in person's name, whatever is typed (issue 19).
    await createUser(
      server,
      'wang.zb',
      [{ site: SITE, role: 'shift_lead' }],
      TEST_PASSWORD,
      '王值班长',
    );
    const context = await newSignedInContext(
      browser,
      server,
      { viewport: { width: 1920, height: 1080 } },
      'wang.zb',
      TEST_PASSWORD,
    );
    const page = await context.newPage();
    await page.goto(`${server.url}/site/${SITE}`);
    await postEvents(
      server,
      [1, 2, 3].map((i) => ev(SITE, 'call.offered', { call: `q1-${i}`, queue: 'q1' })),
    );
    await waitForFigure(page, 'q1', 'waiting', '3');

    const card = page.locator('[data-tile="alerts"] [data-kind="overflow"]').first();
    await card.waitFor({ timeout: 20_000 });
    expect(await card.getAttribute('data-level')).toBe('red');
    await expect(card.textContent()).resolves.toContain('backup');
    // The figure now, beside the text from the raise, set apart by a spaced dash.
    expect(await card.locator('.message').innerText()).toMatch(/\S — now 3 waiting, longest /);
    await screenshot(page, 'board-alert-raised');

    // Acknowledge takes an optional note; the name is the signed-in person's, never typed.
    await card.locator('button.ack').click();
    expect(await card.locator('input[name="lead"]').count()).toBe(0);
    await card.locator('input[name="note"]').fill('opened backup group');
    await card.locator('form.ask button[type="submit"]').click();
    await card.locator('[data-acked-by="王值班长"]').waitFor({ timeout: 10_000 });
    const acked = await waitFor(async () =>
      (await alerts()).find((a) => a.queue === 'q1' && a.acked_by === '王值班长'),
    );
    expect(acked.ack_note).toBe('opened backup group');
    await screenshot(page, 'board-alert-acked');

    // The handover view lists it for the next shift lead, with who acknowledged it.
    await page.locator('[data-control="handover"]').click();
    const handover = page.locator('[data-tile="handover"]');
    await handover.locator('h3', { hasText: 'Still open' }).waitFor({ timeout: 10_000 });
    await expect(handover.textContent()).resolves.toContain('王值班长');

    // The next alert, after a reload: still the signed-in name, with no note.
    await page.reload();
    await postEvents(
      server,
      [1, 2, 3].map((i) => ev(SITE, 'call.offered', { call: `q2-${i}`, queue: 'q2' })),
    );
    const second = page
      .locator('[data-tile="alerts"] [data-kind="overflow"]', { hasText: 'q2' })
      .first();
    await second.waitFor({ timeout: 20_000 });
    await second.locator('button.ack').click();
    await second.locator('form.ask button[type="submit"]').click();
    await second.locator('[data-acked-by="王值班长"]').waitFor({ timeout: 10_000 });
    expect(await second.locator('input[name="lead"]').count()).toBe(0);
    await waitFor(async () =>
      (await alerts()).find((a) => a.queue === 'q2' && a.acked_by === '王值班长'),
    );
    await context.close();
  });
});
