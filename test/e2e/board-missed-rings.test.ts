// Missed rings on the agent row, in Debian's Chromium against the real server: an Asterisk
// queue_log with RINGNOANSWER rows goes through the real adapter command, the board shows
// each agent's missed rings and not-reachable count in English and in Chinese, and the live
// figures equal the counts of the stored events.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAdapter } from '../helpers/adapter-cli.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  screenshot,
  newSignedInPage,
} from '../helpers/browser.js';
import { api, startServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.js';
import { zoneAtHour } from '../helpers/zone.js';
import { putConfig } from './e2e-util.js';

const SITE = 'e2e-rna';

describeBrowser('wallboard: missed rings from an Asterisk queue_log', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    // A fixed-offset zone where it is noon now: the rings of two minutes ago count as today's
    // whatever hour the test runs at (in UTC they were yesterday's just after midnight).
    await putConfig(server.url, SITE, { timezone: zoneAtHour(Date.now(), 12).zone });
    const t = Math.floor(Date.now() / 1000) - 120;
    const log = [
      `${t}|MANAGER|sales|SIP/551|ADDMEMBER|`,
      `${t}|MANAGER|sales|SIP/552|ADDMEMBER|`,
      `${t + 1}|c1|sales|NONE|ENTERQUEUE||5551234|1`,
      `${t + 16}|c1|sales|SIP/551|RINGNOANSWER|15000`,
      `${t + 16}|c1|sales|SIP/552|RINGNOANSWER|0`,
      `${t + 31}|c1|sales|SIP/551|RINGNOANSWER|15000`,
      `${t + 35}|c1|sales|SIP/552|CONNECT|34|c1.2|4`,
    ].join('\n');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fw-rna-')), 'queue_log');
    writeFileSync(file, `${log}\n`);
    const r = await runAdapter(
      ['asterisk', '--queue-log', file, '--site', SITE, '--target', server.url, '--json'],
      { FLOORWATCH_TOKEN: TEST_ADMIN_TOKEN },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rejected: [] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('the live figures equal the stored events', async () => {
    const live = (await (await api(server, `/api/live?site=${SITE}`)).json()) as {
      agents: {
        agent: string;
        state: string;
        ring_no_answer_today?: number;
        unreachable_today?: number;
      }[];
    };
    const stored = (await (await api(server, `/api/events?site=${SITE}`)).json()) as {
      events: { type: string; event: { agent?: string; ring_ms?: number } }[];
    };
    for (const a of live.agents) {
      const rings = stored.events.filter(
        (e) => e.type === 'agent.ring_no_answer' && e.event.agent === a.agent,
      );
      // Zero counts are left out of the row (they are most agents' values).
      expect({
        agent: a.agent,
        rna: a.ring_no_answer_today ?? 0,
        unreachable: a.unreachable_today ?? 0,
      }).toEqual({
        agent: a.agent,
        rna: rings.filter((e) => (e.event.ring_ms ?? 0) > 0).length,
        unreachable: rings.filter((e) => e.event.ring_ms === 0).length,
      });
    }
    expect(
      live.agents
        .map((a) => [a.agent, a.state, a.ring_no_answer_today, a.unreachable_today])
        .sort(),
    ).toEqual([
      ['551', 'ready', 2, undefined],
      ['552', 'talking', undefined, 1],
    ]);
  });

  it('shows missed rings on the agent row in English and in Chinese', async () => {
    const page = await newSignedInPage(browser, server, {
      viewport: { width: 1920, height: 1080 },
    });
    await page.goto(`${server.url}/site/${SITE}`);
    await page.locator('[data-lang="en"]').click();
    const rna = (agent: string) => page.locator(`[data-agent="${agent}"] .rna`);
    await rna('551').waitFor();
    await expect(rna('551').textContent()).resolves.toMatch(/^\s*RNA 2\s*$/);
    await expect(rna('552').textContent()).resolves.toMatch(/^\s*unreachable 1\s*$/);
    await expect(rna('551').getAttribute('title')).resolves.toContain(
      '2 queue calls rang this agent without an answer',
    );
    await screenshot(page, 'board-missed-rings-en');
    await page.locator('[data-lang="zh-CN"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await expect(rna('551').textContent()).resolves.toMatch(/^\s*振铃未接 2\s*$/);
    await expect(rna('552').textContent()).resolves.toMatch(/^\s*无法振铃 1\s*$/);
    await screenshot(page, 'board-missed-rings-zh-CN');
    await page.locator('[data-lang="en"]').click();
    await page.close();
  });
});
