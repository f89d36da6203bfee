// The history page a manager reviews, in English and Chinese: axis labels that never overlap
// on a one-day and a 31-day range, heat maps that reach every agent by name and narrow to a
// team, the absence flag (more than 5 days in a month) on the agent who has it and not on one
// with fewer, and every summary figure labelled. Roster, sign-ins and calls go through the
// real API; the page is the built wallboard in Chromium.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { api, postEvents, startServer, type TestServer } from '../helpers/server.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { zoneAtHour } from '../helpers/zone.js';
import { ev, putConfig } from './e2e-util.js';
import { englishWords, properNamesNow, visibleText } from './zh-words.js';

const SITE = 'e2e-history-ui';
// A fixed-offset zone where it is 21:00 now, so today already holds its 09:00-20:00 calls and
// the shift from two hours ago: the one-day range has points whatever hour the test runs at.
const ZONE = zoneAtHour(Date.now(), 21).zone;
const N = 45; // more than one page of 40
const id = (i: number): string => `u${String(i).padStart(2, '0')}`;
const AGENTS = Array.from({ length: N }, (_, i) => id(i + 1));
const nameOf = (a: string): string => `Li ${a.slice(1)}`;
const teamOf = (a: string): string => (Number(a.slice(1)) <= 25 ? 'T1' : 'T2');
/** Team ids are the floor's codes; the page shows their names in the reader's language. */
const TEAMS = {
  T1: { label: 'Billing 1', label_zh: '账务一组' },
  T2: { label: 'Billing 2', label_zh: '账务二组' },
};
/** Absent on six scheduled days of one month (flagged), and on two (not flagged). */
const ABSENT6 = 'u44';
const ABSENT2 = 'u43';

describeBrowser('wallboard: history page for a manager in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let today: DateTime;
  /** A day on which the only agents scheduled were both absent: attendance 0%. */
  let zeroDay = '';

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    browser = await launchBrowser();
    await putConfig(server.url, SITE, { timezone: ZONE, interval_minutes: 60, teams: TEAMS });
    const now = Date.now();
    today = DateTime.fromMillis(now, { zone: ZONE }).startOf('day');
    // The month holding today-15 overlaps the 31-day range by 16 days or more: its first six
    // of them are all before today.
    const mid = today.minus({ days: 15 });
    const first = DateTime.max(mid.startOf('month'), today.minus({ days: 30 }));
    const absentDays = Array.from({ length: 6 }, (_, i) => first.plus({ days: i }));
    zeroDay = absentDays[0]!.toISODate() as string;
    const shift = (d: DateTime, agent: string) => ({
      agent,
      team: teamOf(agent),
      start: d.set({ hour: 9 }).toUTC().toISO(),
      end: d.set({ hour: 17 }).toUTC().toISO(),
      activity: 'work',
    });
    // Everyone works now (shift from two hours ago); the two absentees also had past shifts.
    const roster = [
      ...AGENTS.map((agent) => ({
        agent,
        team: teamOf(agent),
        start: new Date(now - 2 * 3600_000).toISOString(),
        end: new Date(now + 2 * 3600_000).toISOString(),
        activity: 'work',
      })),
      ...absentDays.map((d) => shift(d, ABSENT6)),
      ...absentDays.slice(0, 2).map((d) => shift(d, ABSENT2)),
    ];
    const res = await api(server, `/api/sites/${SITE}/roster`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(roster),
    });
    expect(res.status, await res.text()).toBeLessThan(300);
    const events = AGENTS.flatMap((agent, i) => [
      ev(
        SITE,
        'agent.login',
        { agent, name: nameOf(agent), team: teamOf(agent) },
        now - 2 * 3600_000 + i * 1000,
      ),
      ev(SITE, 'agent.state', { agent, state: 'ready' }, now - 2 * 3600_000 + i * 1000 + 500),
    ]);
    // One answered call an hour, 09:00–20:00, on each of the 31 days up to now: a long
    // service-level axis of hourly points.
    let c = 0;
    for (let d = 30; d >= 0; d--)
      for (let h = 9; h <= 20; h++) {
        const t = today.minus({ days: d }).set({ hour: h, minute: 10 }).toMillis();
        if (t > now - 60_000) continue;
        events.push(ev(SITE, 'call.offered', { call: `c${++c}`, queue: 'q1' }, t));
        events.push(
          ev(SITE, 'call.answered', { call: `c${c}`, queue: 'q1', agent: 'u01' }, t + 8000),
        );
      }
    expect((await postEvents(server, events)).body.rejected).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** Sets the range and waits for the page to finish loading it. */
  async function range(page: Page, from: DateTime, to: DateTime): Promise<void> {
    await page.locator('[data-history-ready="true"]').waitFor({ timeout: 30_000 });
    await page.locator('input[name="from"]').fill(from.toISODate() as string);
    await page.locator('input[name="to"]').fill(to.toISODate() as string);
    await page.locator('form.range button[type="submit"]').click();
    const shown = `${from.toISODate()}/${to.toISODate()}`;
    await page
      .locator(`[data-history-ready="true"][data-history-range="${shown}"]`)
      .waitFor({ timeout: 60_000 });
    await page.locator('[data-section="service-level"] [data-point]').first().waitFor();
  }

  /** Per chart, the boxes of its visible x-axis labels; fails on any two that overlap. */
  async function expectNoOverlap(page: Page, what: string, minTicks: number): Promise<void> {
    const axes = await page
      .locator(
        '[data-section="conformance"] svg, [data-section="adherence"] svg, [data-section="attendance"] svg, [data-section="service-level"] svg',
      )
      .evaluateAll((svgs) =>
        svgs.map((svg) =>
          [...svg.querySelectorAll('text.tick.x')].map((t) => {
            const r = t.getBoundingClientRect();
            return {
              text: t.textContent ?? '',
              left: r.left,
              right: r.right,
              svg: svg.getBoundingClientRect(),
            };
          }),
        ),
      );
    // The two heat maps, the attendance bars and the service-level line.
    expect(axes.length, what).toBe(4);
    for (const ticks of axes) {
      expect(
        ticks.length,
        `${what}: ${ticks.map((t) => t.text).join(' | ')}`,
      ).toBeGreaterThanOrEqual(minTicks);
      const sorted = [...ticks].sort((a, b) => a.left - b.left);
      for (let i = 1; i < sorted.length; i++) {
        const a = sorted[i - 1]!;
        const b = sorted[i]!;
        expect(b.left, `${what}: "${a.text}" overlaps "${b.text}"`).toBeGreaterThanOrEqual(a.right);
      }
      for (const t of ticks) {
        expect(t.left, `${what}: "${t.text}" clipped`).toBeGreaterThanOrEqual(t.svg.left - 0.5);
        expect(t.right, `${what}: "${t.text}" clipped`).toBeLessThanOrEqual(t.svg.right + 0.5);
      }
    }
  }

  const rowAgents = (page: Page) =>
    page
      .locator('[data-section="conformance"] text.row-label')
      // The label's own text, without its <title> (the full name and id on hover).
      .evaluateAll((ts) =>
        ts.map((t): [string, string] => [
          t.getAttribute('data-row') ?? '',
          [...t.childNodes]
            .filter((n) => n.nodeType === 3)
            .map((n) => n.textContent)
            .join(''),
        ]),
      );

  for (const lang of [
    {
      locale: 'en-US',
      widths: [1024, 3840],
      range: /41–45 of 45/,
      summary: [/Agents in range: 45/, /Interval: 60 min/, /Calls offered: [\d,]+/],
      marker: /6 days absent/,
      team: 'Billing 2',
      explain: /more than 5 days absent in the month/,
    },
    {
      locale: 'zh-CN',
      widths: [1280],
      range: /第 41–45 条,共 45 条/,
      summary: [/范围内座席:45 人/, /时段:60 分钟/, /来电:[\d,]+ 通/],
      marker: /缺勤 6 天/,
      team: '账务二组',
      explain: /当月缺勤超过 5 天/,
    },
  ])
    it(`axes, heat-map paging, team filter, absences and labels (${lang.locale})`, async () => {
      for (const width of lang.widths) {
        const context = await newSignedInContext(browser, server, {
          viewport: { width, height: 1000 },
          locale: lang.locale,
        });
        const page = await context.newPage();
        await page.goto(`${server.url}/site/${SITE}/history`);
        await range(page, today, today);
        await expectNoOverlap(page, `1 day at ${width} px`, 1);
        await range(page, today.minus({ days: 30 }), today);
        await expectNoOverlap(page, `31 days at ${width} px`, 4);
        await screenshot(page, `history-ui-${lang.locale}-${width}`);
        if (width !== lang.widths[0]) {
          await context.close();
          continue;
        }

        // Page one holds 40 agents; the next page reaches the other five, by name.
        const first = await rowAgents(page);
        expect(first.length).toBe(40);
        await page.locator('[data-section="conformance"] [data-page="next"]').click();
        await expect
          .poll(() => page.locator('[data-section="conformance"] [data-page-range]').innerText())
          .toMatch(lang.range);
        const second = await rowAgents(page);
        expect(second.length).toBe(5);
        const all = new Set([...first, ...second].map(([a]) => a));
        expect(all.size).toBe(N);
        for (const [agent, label] of [...first, ...second]) expect(label).toBe(nameOf(agent));

        // The team filter narrows the rows to that team's agents.
        await page.locator('[data-control="history-team"]').selectOption('T2');
        await expect.poll(async () => (await rowAgents(page)).length).toBe(20);
        for (const [agent] of await rowAgents(page)) expect(teamOf(agent)).toBe('T2');
        await page.locator('[data-control="history-search"]').fill('li 30');
        await expect.poll(async () => (await rowAgents(page)).map(([a]) => a)).toEqual(['u30']);
        await page.locator('[data-control="history-search"]').fill('');
        await page.locator('[data-control="history-team"]').selectOption('');
        await expect.poll(async () => (await rowAgents(page)).length).toBe(40);

        // The absence flag: on the agent absent six days, not on the one absent two.
        const flagged = page.locator(`[data-absent="${ABSENT6}"]`);
        await flagged.waitFor();
        await expect
          .poll(() => flagged.locator('[data-absence-flag]').innerText())
          .toMatch(lang.marker);
        await expect.poll(() => flagged.locator('td').first().innerText()).toBe(nameOf(ABSENT6));
        const fewer = page.locator(`[data-absent="${ABSENT2}"]`);
        await fewer.waitFor();
        expect(await fewer.locator('td').nth(2).innerText()).toBe('2');
        expect(await fewer.locator('[data-absence-flag]').count()).toBe(0);
        expect(await fewer.locator('td').nth(1).innerText()).toBe(lang.team);
        expect(await page.locator('[data-explain="absence"]').first().innerText()).toMatch(
          lang.explain,
        );

        // A 0% day draws a bar (not the gap of a day with no schedule).
        const zero = page.locator(`[data-section="attendance"] [data-point="${zeroDay}"] rect.bar`);
        expect(Number(await zero.getAttribute('height'))).toBeGreaterThanOrEqual(2);
        // The conformance table shows agents by name too (its CSV keeps the ids).
        const table = page.locator('[data-table="conformance"]');
        await table.locator('.tools button').first().click();
        const keys = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
        expect(keys.length).toBeGreaterThan(N);
        for (const k of keys) expect(k).toMatch(/^Li \d\d$/);

        // Every footer figure has its label.
        const summary = await page.locator('p[data-summary]').innerText();
        for (const re of lang.summary) expect(summary).toMatch(re);

        if (lang.locale === 'zh-CN') {
          const texts = await visibleText(page);
          const proper = await properNamesNow(server, SITE, new Set());
          expect(englishWords(texts, proper)).toEqual([]);
        }
        await context.close();
      }
    }, 240_000);
});
