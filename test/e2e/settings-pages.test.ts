// The settings pages in Chromium (issue 22's last feature, roles from issue 19): a manager
// edits the site and its queues, overflow rules (the webhook secret stays masked) and
// uploads a roster after a preview of its errors by line; a team lead enters excused time
// (问题时长) for their own team only. The server's refusals are shown as it said them. In
// English and in Chinese.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SiteConfig } from '../../ingest/src/core/site-config.js';
import { createUser, signIn, TEST_PASSWORD } from '../helpers/auth.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  screenshot,
} from '../helpers/browser.js';
import { api, postEvents, startServer, type TestServer } from '../helpers/server.js';
import { ev, putConfig } from './e2e-util.js';
import { contextAs, latinWords } from './ident-util.js';

const SITE = 'e2e-settings';
const SECRET = 'the-stored-webhook-secret-0123456789';

/** Today in the site's zone (UTC here) and a roster CSV for it. */
const today = new Date().toISOString().slice(0, 10);
const csv = (rows: string[]) => ['agent,team,start,end,activity', ...rows].join('\n');

describeBrowser('wallboard: settings pages', () => {
  let server: TestServer;
  let browser: Browser;

  const config = async (): Promise<SiteConfig> =>
    (await (await api(server, `/api/sites/${SITE}`)).json()) as SiteConfig;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, {
      timezone: 'UTC',
      queues: {
        q1: { threshold_s: 20, target: 0.8, label: 'Sales', label_zh: '销售' },
        q2: { threshold_s: 20, target: 0.8, label: 'Service', label_zh: '服务' },
      },
      teams: {
        T1: { label: 'Team one', label_zh: '一组' },
        T2: { label: 'Team two', label_zh: '二组' },
      },
      overflow_rules: [
        {
          id: 'of-q1',
          queue: 'q1',
          conditions: { waiting_gte: 5 },
          mode: 'any',
          hold_down_s: 10,
          clear_down_s: 60,
          level: 'orange',
          action: { kind: 'overflow', to: 'q2' },
          webhook: { url: 'https://hooks.example.com/floor', secret: SECRET },
        },
      ],
    });
    await postEvents(server, [
      ev(SITE, 'agent.login', { agent: 'a1', name: 'Wang Fang', team: 'T1', queues: ['q1'] }),
      ev(SITE, 'agent.login', { agent: 'a2', name: 'Liu Yang', team: 'T2', queues: ['q1'] }),
      ev(SITE, 'agent.state', { agent: 'a1', state: 'ready' }),
      ev(SITE, 'agent.state', { agent: 'a2', state: 'ready' }),
    ]);
    await createUser(server, 'mgr', [{ site: SITE, role: 'manager' }], TEST_PASSWORD, 'Zhou Min');
    await createUser(
      server,
      'tl',
      [{ site: SITE, role: 'team_lead', teams: ['T1'] }],
      TEST_PASSWORD,
      'Sun Li',
    );
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const save = (page: Page, section: string, control: string) =>
    page.locator(`[data-section="${section}"] [data-control="${control}"]`).click();

  it('lets a manager edit queues and labels, showing the server refusal plainly (en)', async () => {
    const ctx = await contextAs(browser, server, 'mgr');
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}/settings`);
    const cfg = page.locator('[data-section="config"]');
    const q1 = cfg.locator('[data-queue-row="q1"]');
    await q1.waitFor();
    expect(await q1.locator('input[name="label_zh"]').inputValue()).toBe('销售');
    await q1.locator('input[name="label_zh"]').fill('销售一线');
    await q1.locator('input[name="threshold_s"]').fill('30');
    await cfg.locator('input[name="timezone"]').fill('Mars/Olympus');
    await save(page, 'config', 'save-config');
    const problem = cfg.locator('[data-problem]').first();
    await problem.waitFor();
    expect(await problem.textContent()).toContain('timezone');
    expect((await config()).queues['q1']?.label_zh).toBe('销售');

    await cfg.locator('input[name="timezone"]').fill('Asia/Shanghai');
    await save(page, 'config', 'save-config');
    await cfg.locator('[data-saved]').waitFor();
    const after = await config();
    expect(after.timezone).toBe('Asia/Shanghai');
    expect(after.queues['q1']).toMatchObject({
      label_zh: '销售一线',
      threshold_s: 30,
      label: 'Sales',
    });
    expect(after.teams?.['T1']).toEqual({ label: 'Team one', label_zh: '一组' });
    await screenshot(page, 'settings-config-en');
    await ctx.close();
    await putConfig(server.url, SITE, { timezone: 'UTC' });
  });

  it('keeps the webhook secret masked; a masked secret is not carried to a new address (en)', async () => {
    const ctx = await contextAs(browser, server, 'mgr');
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}/settings`);
    const rule = page.locator('[data-section="overflow"] [data-rule="of-q1"]');
    await rule.waitFor();
    expect(await rule.locator('input[name="webhook_secret"]').getAttribute('data-masked')).toBe(
      'true',
    );
    await rule.locator('[data-secret-masked]').waitFor();
    expect(await page.content()).not.toContain(SECRET);

    // Same address, new condition: saved, the stored secret kept (still masked on the way back).
    await rule.locator('input[name="waiting_gte"]').fill('7');
    await save(page, 'overflow', 'save-rules');
    await page.locator('[data-section="overflow"] [data-saved]').waitFor();
    const r1 = (await config()).overflow_rules[0];
    expect(r1?.conditions.waiting_gte).toBe(7);
    expect(r1?.webhook).toEqual({ url: 'https://hooks.example.com/floor', secret: '********' });

    // A new address with the mask: refused, as the server says; with a new secret typed: saved.
    await rule.locator('input[name="webhook_url"]').fill('https://other.example.com/hook');
    await save(page, 'overflow', 'save-rules');
    await page.locator('[data-section="overflow"] [data-problems]').waitFor();
    expect(await page.locator('[data-section="overflow"] [data-problems]').textContent()).toMatch(
      /secret/,
    );
    expect((await config()).overflow_rules[0]?.webhook?.url).toBe(
      'https://hooks.example.com/floor',
    );
    await rule.locator('input[name="webhook_secret"]').fill('a-brand-new-secret-for-the-new-host');
    await save(page, 'overflow', 'save-rules');
    await page.locator('[data-section="overflow"] [data-saved]').waitFor();
    expect((await config()).overflow_rules[0]?.webhook?.url).toBe('https://other.example.com/hook');
    await screenshot(page, 'settings-overflow-en');
    await ctx.close();
  });

  it('previews roster errors by line before saving, then saves a clean roster (en)', async () => {
    const ctx = await contextAs(browser, server, 'mgr');
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}/settings`);
    const roster = page.locator('[data-section="roster"]');
    await roster.locator('textarea[name="roster_csv"]').waitFor();
    const bad = csv([
      `a1,T1,${today} 08:00,${today} 12:00,work`,
      `a2,T2,${today} 17:00,${today} 09:00,work`,
    ]);
    await roster.locator('textarea[name="roster_csv"]').fill(bad);
    await roster.locator('[data-control="check-roster"]').click();
    const line = roster.locator('[data-problem-line="3"]');
    await line.waitFor();
    expect(await line.textContent()).toMatch(/end/);
    expect(await roster.locator('[data-control="save-roster"]').isDisabled()).toBe(true);
    await screenshot(page, 'settings-roster-errors-en');
    // Nothing was stored by the check.
    const stored = async () =>
      (
        (await (await api(server, `/api/sites/${SITE}/roster?date=${today}`)).json()) as {
          segments: unknown[];
        }
      ).segments.length;
    expect(await stored()).toBe(0);

    await roster
      .locator('textarea[name="roster_csv"]')
      .fill(
        csv([
          `a1,T1,${today} 08:00,${today} 12:00,work`,
          `a2,T2,${today} 09:00,${today} 17:00,work`,
        ]),
      );
    await roster.locator('[data-control="check-roster"]').click();
    await roster.locator('[data-roster-ok]').waitFor();
    expect(await roster.locator('[data-roster-ok]').textContent()).toContain('2 segments');
    expect(await stored()).toBe(0);
    await roster.locator('[data-control="save-roster"]').click();
    await roster.locator('[data-saved]').waitFor();
    expect(await stored()).toBe(2);
    await ctx.close();
  });

  it('lets a team lead enter excused time for their own team only (en)', async () => {
    const ctx = await contextAs(browser, server, 'tl');
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}/settings`);
    const section = page.locator('[data-section="excused"]');
    await section.locator('select[name="agent"]').waitFor();
    // Only the lead's team, and no manager sections.
    expect(await page.locator('[data-section="config"], [data-section="roster"]').count()).toBe(0);
    const agents = await section
      .locator('select[name="agent"] option')
      .evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(agents).toEqual(['a1']);
    await section.locator('input[name="start"]').fill(`${today} 08:30`);
    await section.locator('input[name="end"]').fill(`${today} 09:00`);
    await section.locator('input[name="reason"]').fill('系统故障 login server down');
    await section.locator('[data-control="add-excused"]').click();
    await section.locator('[data-saved]').waitFor();
    expect(await section.locator('[data-saved]').textContent()).toContain('Wang Fang');

    // Recorded under the lead's own name; the other team is refused by the server.
    const audit = (await (await api(server, `/api/audit?site=${SITE}`)).json()) as {
      entries: { action: string; actor: string; detail: { spans: { entered_by: string }[] } }[];
    };
    const entry = audit.entries.find((e) => e.action === 'excused.add');
    expect(entry?.actor).toBe('tl');
    expect(entry?.detail.spans[0]?.entered_by).toBe('Sun Li');
    const s = await signIn(server, 'tl');
    const res = await fetch(`${server.url}/api/sites/${SITE}/excused`, {
      method: 'POST',
      headers: s.headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({
        agent: 'a2',
        start: `${today} 08:30`,
        end: `${today} 09:00`,
        reason: 'x',
      }),
    });
    expect(res.status).toBe(403);

    // A refusal on the page: end before start, said by the server with its field.
    await section.locator('input[name="end"]').fill(`${today} 08:00`);
    await section.locator('input[name="reason"]').fill('again');
    await section.locator('[data-control="add-excused"]').click();
    await section.locator('[data-problems]').waitFor();
    expect(await section.locator('[data-problems]').textContent()).toMatch(/end/);
    await screenshot(page, 'settings-excused-en');
    await ctx.close();
  });

  it('shows the settings page in Chinese with no English word, roster errors included (zh)', async () => {
    const ctx = await contextAs(browser, server, 'mgr', { locale: 'zh-CN' });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/site/${SITE}/settings`);
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.locator('[data-queue-row="q1"]').waitFor();
    await page.locator('[data-section="excused"] select[name="agent"]').waitFor();
    const roster = page.locator('[data-section="roster"]');
    await roster
      .locator('textarea[name="roster_csv"]')
      .fill(csv([`a1,T1,${today} 08:00,${today} 07:00,work`]));
    await roster.locator('[data-control="check-roster"]').click();
    await roster.locator('[data-problem-line="2"]').waitFor();
    expect(await roster.locator('[data-table="problems"] th').allTextContents()).toEqual([
      '行号',
      '数据行',
      '字段',
      '原因',
    ]);
    // Names of people are data (Sun Li, Zhou Min are romanised here).
    expect(await latinWords(page, ['Zhou', 'Min', 'Wang', 'Fang'])).toEqual([]);
    await screenshot(page, 'settings-zh');
    await ctx.close();
  });
});
