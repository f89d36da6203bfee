// Layouts that fit: the board of a believable floor at 1280×720, 1920×1080 and 3840×2160,
// in Chinese and English, on the TV and on the desk. Nothing may be cut (text wider than
// its box, or clipped by an ancestor that hides overflow), the page may not scroll
// sideways, a zh page shows no untranslated word, and no console error or failed request
// may occur. On a TV nothing may fall below the screen, every team is shown, and the
// rotating overview's live chart has height.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { LiveSnapshot } from '../../ingest/src/core/snapshot.js';
import {
  describeBrowser,
  ensureBoardBuilt,
  launchBrowser,
  newSignedInContext,
  screenshot,
} from '../helpers/browser.js';
import { api, startServer, type TestServer } from '../helpers/server.js';
import { seedFloor } from './floor.js';
import { englishWords, properNames, properNamesNow, visibleText } from './zh-words.js';

const SITE = 'fitfloor';
const SIZES = [
  [1280, 720],
  [1920, 1080],
  [3840, 2160],
] as const;

/** Text cut by its own box or by an ancestor that hides overflow; and anything off a TV screen. */
async function cutText(page: Page, tv: boolean): Promise<string[]> {
  return page.evaluate((tv) => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const label = (el: Element) =>
      `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some(
        (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
      );
      if (!own) continue;
      const st = getComputedStyle(el);
      if (st.display === 'none' || st.visibility === 'hidden') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (
        el instanceof HTMLElement &&
        st.overflowX !== 'visible' &&
        el.scrollWidth > el.clientWidth + 1
      )
        out.push(`wider than its box: ${label(el)}`);
      // The first ancestor that clips without letting one scroll to the rest.
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ps = getComputedStyle(p);
        if (
          ps.overflowX === 'auto' ||
          ps.overflowX === 'scroll' ||
          ps.overflowY === 'auto' ||
          ps.overflowY === 'scroll'
        )
          break;
        if (ps.overflowX === 'visible' && ps.overflowY === 'visible') continue;
        const pr = p.getBoundingClientRect();
        if (
          r.right > pr.right + 1 ||
          r.left < pr.left - 1 ||
          r.bottom > pr.bottom + 1 ||
          r.top < pr.top - 1
        ) {
          // Wholly outside: a row hidden below a TV list, reported by the TV screen check if visible.
          const partly =
            r.top < pr.bottom && r.bottom > pr.top && r.left < pr.right && r.right > pr.left;
          if (partly)
            out.push(
              `clipped by ${p.tagName.toLowerCase()}.${[...p.classList].join('.')}: ${label(el)}`,
            );
        }
        break;
      }
      if (tv && r.top < vh && r.bottom > vh + 1)
        out.push(`cut by the screen's bottom: ${label(el)}`);
      if (r.right > vw + 1 && r.left < vw) out.push(`cut by the screen's right edge: ${label(el)}`);
    }
    return out;
  }, tv);
}

describeBrowser('wallboard: layouts that fit', () => {
  let server: TestServer;
  let browser: Browser;
  let teams: number;
  let proper: Set<string>;

  beforeAll(async () => {
    await ensureBoardBuilt();
    server = await startServer();
    await seedFloor(server, SITE, 300, 20);
    browser = await launchBrowser();
    const snap = (await (await api(server, `/api/live?site=${SITE}`)).json()) as LiveSnapshot;
    teams = snap.teams.length;
    proper = properNames(SITE, snap);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    for (const mode of ['tv', 'desk'] as const) {
      it(`${mode} in ${locale}: nothing cut at 720p, 1080p and 4K, no sideways scroll, no error`, async () => {
        const problems: string[] = [];
        for (const [w, h] of SIZES) {
          const ctx = await newSignedInContext(browser, server, {
            viewport: { width: w, height: h },
            locale,
          });
          const page = await ctx.newPage();
          const where = `${mode} ${locale} ${w}x${h}`;
          page.on('console', (m) => {
            if (m.type() === 'error') problems.push(`${where}: console error ${m.text()}`);
          });
          page.on('pageerror', (e) => problems.push(`${where}: page error ${e.message}`));
          page.on('requestfailed', (r) =>
            problems.push(`${where}: request failed ${r.url()} ${r.failure()?.errorText ?? ''}`),
          );
          page.on('response', (r) => {
            if (r.status() >= 400) problems.push(`${where}: ${r.status()} ${r.url()}`);
          });
          await page.goto(`${server.url}/site/${SITE}${mode === 'tv' ? '?tv=1' : ''}`);
          await page.locator('[data-queue]').first().waitFor({ timeout: 30_000 });
          await page
            .locator('[data-tile="teams"] [data-team]')
            .first()
            .waitFor({ timeout: 30_000 })
            .catch(() => {});
          // Fonts and the first chart samples settle.
          await page.waitForTimeout(1500);
          for (const c of await cutText(page, mode === 'tv')) problems.push(`${where}: ${c}`);
          const sideways = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          if (sideways > 0) problems.push(`${where}: page scrolls sideways by ${sideways} px`);
          if (locale === 'zh-CN')
            for (const word of englishWords(
              await visibleText(page),
              (proper = await properNamesNow(server, SITE, proper)),
            ))
              problems.push(`${where}: untranslated ${word}`);
          if (mode === 'tv') {
            const shown = await page.locator('[data-tile="teams"] [data-team]').count();
            if (shown !== teams) problems.push(`${where}: ${shown} of ${teams} teams shown`);
          }
          await screenshot(page, `fit-${mode}-${locale}-${w}x${h}`);
          await ctx.close();
        }
        expect(problems).toEqual([]);
      });
    }
  }

  it('TV rotation: the overview page’s live chart has height at every size', async () => {
    const heights: string[] = [];
    for (const [w, h] of SIZES) {
      const ctx = await newSignedInContext(browser, server, { viewport: { width: w, height: h } });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/site/${SITE}?tv=1&rotate=30`);
      await page.locator('[data-chart="live"]').waitFor({ timeout: 30_000 });
      const ch = await page
        .locator('[data-chart="live"]')
        .evaluate((el) => el.getBoundingClientRect().height);
      if (!(ch >= h * 0.12)) heights.push(`${w}x${h}: live chart ${ch} px high`);
      await ctx.close();
    }
    expect(heights).toEqual([]);
  });
});
