// The shift lead's cockpit on the board, in Chromium, in Chinese and in English: the
// "next 2 hours" staffing strip (forecast, staffed/required, the gap coloured) and a
// what-if answer (merging two queues, 合大组) with the formula's SL and the simulation's,
// and a break request a team lead grants on the board (工作状态管理).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, authHeaders, postEvents, startServer, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  screenshot,
  newSignedInContext,
} from '../helpers/browser.js';

const SITE = 'e2e-cockpit';
const SLOT = 15 * 60_000;
const DAY = 86_400_000;

describeBrowser('wallboard: staffing strip and what-if (zh and en)', () => {
  let server: TestServer;
  let browser: Browser;
  const now = Date.now();
  const offsetH = 12 - new Date(now).getUTCHours();
  const zone = offsetH === 0 ? 'UTC' : `Etc/GMT${offsetH > 0 ? '-' : '+'}${Math.abs(offsetH)}`;
  const slotNow = Math.floor(now / SLOT) * SLOT;
  let n = 0;

  function calls(slot: number, count: number, queue: string): object[] {
    const out: object[] = [];
    for (let i = 0; i < count; i++) {
      const t = slot + 5_000 + i * 10_000;
      const c = `c-${++n}`;
      const agent = `h-${queue}-${i}`;
      out.push(
        { id: `ck-${++n}`, ts: t, site: SITE, type: 'call.offered', call: c, queue },
        {
          id: `ck-${++n}`,
          ts: t + 1_000,
          site: SITE,
          type: 'call.answered',
          call: c,
          queue,
          agent,
        },
        { id: `ck-${++n}`, ts: t + 151_000, site: SITE, type: 'call.ended', call: c, queue, agent },
        {
          id: `ck-${++n}`,
          ts: t + 151_000,
          site: SITE,
          type: 'agent.state',
          agent,
          state: 'ready',
        },
      );
    }
    return out;
  }

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    const put = await api(server, `/api/sites/${SITE}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        timezone: zone,
        interval_minutes: 15,
        staffing: { forecast_weeks: 1 },
        work_state: { team_cap: { max: 0 }, leads: { T: ['王班长'] } },
      }),
    });
    expect(put.status).toBe(200);
    // Last week, the next two hours: 20 calls per quarter-hour in q1 and 12 in q2. Today so far: as last week.
    const ev: object[] = [];
    for (let k = -1; k < 8; k++) {
      const slot = slotNow + k * SLOT - 7 * DAY;
      ev.push(...calls(slot, 20, 'q1'), ...calls(slot, 12, 'q2'));
    }
    ev.push(...calls(slotNow - SLOT, 20, 'q1'), ...calls(slotNow - SLOT, 12, 'q2'));
    // Eight agents signed in now: five for q1 (3.3 erlangs), three for q2 (2 erlangs).
    for (const [a, q] of [
      ['a1', 'q1'],
      ['a2', 'q1'],
      ['a3', 'q1'],
      ['a4', 'q1'],
      ['a5', 'q1'],
      ['b1', 'q2'],
      ['b2', 'q2'],
      ['b3', 'q2'],
    ] as const) {
      ev.push(
        {
          id: `ck-${++n}`,
          ts: now - 30_000,
          site: SITE,
          type: 'agent.login',
          agent: a,
          team: 'T',
          queues: [q],
        },
        {
          id: `ck-${++n}`,
          ts: now - 29_000,
          site: SITE,
          type: 'agent.state',
          agent: a,
          state: 'ready',
        },
      );
    }
    for (let i = 0; i < ev.length; i += 500)
      expect((await postEvents(server, ev.slice(i, i + 500))).body.rejected).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  async function open(locale: 'zh-CN' | 'en'): Promise<Page> {
    const context = await newSignedInContext(browser, server, {
      viewport: { width: 1920, height: 1400 },
      extraHTTPHeaders: authHeaders(),
    });
    await context.addInitScript((l) => localStorage.setItem('floorwatch.locale', l), locale);
    const page = await context.newPage();
    await page.goto(`${server.url}/site/${SITE}`);
    await page.locator(`[data-lang="${locale}"]`).click();
    return page;
  }

  for (const [locale, words] of [
    [
      'zh-CN',
      {
        strip: '未来 2 小时人力',
        whatif: '情景推演',
        formula: '服务水平（公式）',
        breaks: '工作状态管理',
        grant: '批准',
        agent: 'a1',
      },
    ],
    [
      'en',
      {
        strip: 'Staffing, next 2 hours',
        whatif: 'What if…',
        formula: 'SL (formula)',
        breaks: 'Breaks and work states',
        grant: 'Grant',
        agent: 'a2',
      },
    ],
  ] as const) {
    it(`shows the staffing strip and a merge what-if answer in ${locale}`, async () => {
      const page = await open(locale);
      const strip = page.locator('[data-region="staffing"]');
      await strip.locator('h2', { hasText: words.strip }).waitFor({ timeout: 20_000 });
      const q1 = strip.locator('[data-staffing-queue="q1"] [data-staffing-cell]');
      await q1.first().waitFor({ timeout: 20_000 });
      expect(await q1.count()).toBeGreaterThanOrEqual(8);
      // The interval in progress: 5 staffed for q1 against the Erlang C requirement of 20 calls of 150 s.
      const first = q1.first();
      expect(await first.locator('[data-field="need"]').textContent()).toMatch(/^5\/\d+$/);
      expect(['ok', 'short', 'critical']).toContain(await first.getAttribute('data-gap'));

      const panel = page.locator('[data-region="whatif"]');
      await panel.locator('h2', { hasText: words.whatif }).waitFor();
      await panel.locator('[data-control="whatif-kind"]').selectOption('merge');
      await panel.locator('[data-control="whatif-a"]').selectOption('q1');
      await panel.locator('[data-control="whatif-b"]').selectOption('q2');
      await panel.locator('[data-control="whatif-ask"]').click();
      const row = panel.locator('[data-whatif-row][data-queue="q1+q2"]').first();
      await row.waitFor({ timeout: 60_000 });
      await expect(panel.locator('th', { hasText: words.formula }).count()).resolves.toBe(1);
      expect(await row.locator('[data-field="formula-sl"]').textContent()).toMatch(/^\d+\.\d%$/);
      // The simulation's mean and its p10-p90 spread.
      expect(await row.locator('[data-field="sim-sl"]').textContent()).toMatch(
        /^\d+\.\d% \(\d+\.\d%–\d+\.\d%\)$/,
      );

      // A break request over the team's cap is deferred by the rule; the team lead grants it on the board.
      await postEvents(server, [
        {
          id: `ck-req-${locale}`,
          ts: Date.now(),
          site: SITE,
          type: 'agent.break_requested',
          agent: words.agent,
          reason: 'break',
        },
      ]);
      const breaks = page.locator('[data-region="work-state"]');
      await breaks.locator('h2', { hasText: words.breaks }).waitFor();
      const req = breaks.locator(`[data-request="${words.agent}"]`);
      await req.waitFor({ timeout: 20_000 });
      expect(await req.getAttribute('data-status')).toBe('deferred');
      await breaks.locator('input[name="break-lead"]').fill('王班长');
      await req.locator('button[data-action="grant"]', { hasText: words.grant }).click();
      await breaks
        .locator(`[data-request="${words.agent}"][data-status="granted"]`)
        .waitFor({ timeout: 10_000 });
      await expect(
        breaks.locator(`[data-request="${words.agent}"]`).textContent(),
      ).resolves.toContain('王班长');
      await screenshot(page, `board-cockpit-${locale}`);
      await page.context().close();
    }, 120_000);
  }
});
