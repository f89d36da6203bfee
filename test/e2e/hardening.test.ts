// What a user typed is shown as text, never run, and the board runs under its
// Content-Security-Policy without a single violation: markup in agent id, name, team, queue,
// queue label, not-ready reason, overflow-rule target, ack note and ack user is rendered as
// text on the board, in TV mode and in history (no script runs: window.__pwned stays unset;
// no <img> from a payload exists), in Chromium, in English and Chinese.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { api, postEvents, startServer, waitFor, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { ev, putConfig } from './e2e-util.js';

const SITE = 'e2e-xss';
/** One payload per field, each with its own image URL so any injected element is traceable. */
const p = (field: string) => `<img src="/pw-${field}.png" onerror="window.__pwned='${field}'">`;
const P = {
  agent: p('agent'),
  name: p('name'),
  team: p('team'),
  queue: p('queue'),
  label: p('label'),
  reason: p('reason'),
  to: p('to'),
  note: p('note'),
  user: p('user'),
};

describeBrowser('hardening: payloads are text; the CSP holds', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, {
      timezone: 'Asia/Shanghai',
      queues: { [P.queue]: { threshold_s: 20, target: 0.8, label: P.label } },
      overflow_rules: [
        {
          id: 'r1',
          queue: P.queue,
          conditions: { waiting_gte: 1 },
          hold_down_s: 0,
          clear_down_s: 600,
          level: 'red',
          action: { kind: 'overflow', to: P.to },
        },
      ],
    });
    // A finished call an hour ago, so history has rows for the payload queue and agent.
    const t0 = Date.now() - 3_600_000;
    const r = await postEvents(server, [
      ev(
        SITE,
        'agent.login',
        { agent: P.agent, name: P.name, team: P.team, queues: [P.queue] },
        t0,
      ),
      ev(SITE, 'agent.state', { agent: P.agent, state: 'ready' }, t0 + 1000),
      ev(SITE, 'call.offered', { call: 'c0', queue: P.queue }, t0 + 2000),
      ev(SITE, 'call.answered', { call: 'c0', queue: P.queue, agent: P.agent }, t0 + 5000),
      ev(SITE, 'call.ended', { call: 'c0', queue: P.queue, agent: P.agent }, t0 + 65_000),
      ev(SITE, 'agent.login', { agent: P.agent, name: P.name, team: P.team, queues: [P.queue] }),
      ev(SITE, 'agent.state', { agent: P.agent, state: 'not_ready', reason: P.reason }),
      ev(SITE, 'call.offered', { call: 'c1', queue: P.queue }),
    ]);
    expect(r.body.rejected).toEqual([]);
    // The overflow alert, acknowledged with a note by a named user (an admin token may name one).
    const alert = await waitFor(async () => {
      const body = (await (await api(server, `/api/alerts?site=${SITE}`)).json()) as {
        alerts: { id: string; kind: string }[];
      };
      return body.alerts.find((a) => a.kind === 'overflow');
    }, 30_000);
    const ack = await api(server, `/api/alerts/${encodeURIComponent(alert.id)}/ack`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ by: P.user, note: P.note }),
    });
    expect(ack.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** Opens a page that records CSP violations and console refusals before any script runs. */
  async function open(lang: 'en' | 'zh'): Promise<{ page: Page; problems: string[] }> {
    const context = await newSignedInContext(browser, server, {
      viewport: { width: 1920, height: 1080 },
      locale: lang === 'zh' ? 'zh-CN' : 'en-US',
    });
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const page = await context.newPage();
    page.once('close', () => void context.close().catch(() => undefined));
    const problems: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (req) => {
      if (/\/pw-[a-z]+\.png/.test(req.url()))
        problems.push(`payload image requested: ${req.url()}`);
    });
    return { page, problems };
  }

  async function expectInert(page: Page, problems: string[], what: string): Promise<void> {
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
      imgs: [...document.querySelectorAll('img')]
        .map((i) => i.getAttribute('src') ?? '')
        .filter((s) => s.includes('/pw-')),
      csp: (window as unknown as { __csp: string[] }).__csp,
    }));
    expect(state.pwned, what).toBeNull();
    expect(state.imgs, what).toEqual([]);
    expect(state.csp, what).toEqual([]);
    expect(problems, what).toEqual([]);
  }

  // textContent, not innerText: folded (hidden) parts count, and text nodes are what matter.
  const text = (page: Page) => page.evaluate(() => document.body.textContent ?? '');

  for (const lang of ['en', 'zh'] as const) {
    it(`board and TV mode show every payload as text (${lang})`, async () => {
      for (const tv of [false, true]) {
        const { page, problems } = await open(lang);
        await page.goto(`${server.url}/site/${SITE}${tv ? '?tv=1' : ''}`);
        await page.locator('[data-status="live"]').waitFor({ timeout: 20_000 });
        // An acknowledged alert may be folded away (hidden); it is still rendered.
        await page
          .locator('[data-tile="alerts"] [data-kind="overflow"]')
          .first()
          .waitFor({ state: 'attached' });
        // Shown as typed: the markup is visible text.
        await waitFor(async () => (await text(page)).includes(P.name), 10_000);
        const shown = await text(page);
        // TV mode leaves the agent table's columns and the ack line out; the board has them all.
        const fields = tv
          ? (['name', 'label', 'to'] as const)
          : (['name', 'team', 'label', 'reason', 'to', 'user'] as const);
        for (const f of fields) expect(shown, `${f} ${lang} tv=${tv}`).toContain(P[f]);
        await screenshot(page, `hardening-board-${lang}${tv ? '-tv' : ''}`);
        await expectInert(page, problems, `board ${lang} tv=${tv}`);
        await page.close();
      }
    });

    it(`history shows payloads as text (${lang})`, async () => {
      const { page, problems } = await open(lang);
      await page.goto(`${server.url}/site/${SITE}/history`);
      await page.waitForLoadState('networkidle');
      // The queue's label (the report's queue picker and tables) is there, as text.
      await waitFor(async () => (await text(page)).includes(P.label), 15_000);
      await screenshot(page, `hardening-history-${lang}`);
      await expectInert(page, problems, `history ${lang}`);
      await page.close();
    });
  }

  it('the other pages run under the CSP without a violation', async () => {
    for (const path of [
      '/',
      '/signin',
      '/admin/users',
      '/admin/tokens',
      '/admin/audit',
      `/site/${SITE}/settings`,
    ]) {
      const { page, problems } = await open('en');
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle');
      await expectInert(page, problems, path);
      await page.close();
    }
  });
});
