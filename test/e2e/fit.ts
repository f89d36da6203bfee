// The fit checks shared by the board's layout tests: text cut by its box, by a clipping
// ancestor or by a TV screen's edge; tiles drawn over one another; a page that scrolls
// sideways; untranslated words on a zh page; charts with no height; and console errors, page
// errors and failed requests.
import type { Page } from 'playwright-core';
import { requireCjkFont } from '../helpers/browser.js';
import type { TestServer } from '../helpers/server.js';
import { englishWords, properNamesNow, visibleText } from './zh-words.js';

/** Text cut by its own box or by an ancestor that hides overflow; and anything off a TV screen. */
export async function cutText(page: Page, tv: boolean): Promise<string[]> {
  return page.evaluate(async (tv) => {
    // Measure a frame as drawn: a live update (the stale banner, a new alert) laid out since the
    // last frame has not yet had its ResizeObserver refit, which runs before the next paint.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
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

/** Tiles drawn over one another (a grid row too short for its content lets the next tile cover it). */
export async function overlappingTiles(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const tiles = [...document.querySelectorAll<HTMLElement>('[data-tile]')].filter((el) => {
      const st = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return st.display !== 'none' && st.visibility !== 'hidden' && r.width > 0 && r.height > 0;
    });
    const out: string[] = [];
    for (const [i, a] of tiles.entries())
      for (const b of tiles.slice(i + 1)) {
        if (a.contains(b) || b.contains(a)) continue;
        const ra = a.getBoundingClientRect();
        const rb = b.getBoundingClientRect();
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 1 && h > 1)
          out.push(
            `tile "${a.dataset['tile']}" and tile "${b.dataset['tile']}" overlap by ${Math.round(w)}x${Math.round(h)} px`,
          );
      }
    return out;
  });
}

/** Waits for the board to be drawn: queue tiles, team rows where shown, fonts and first chart samples. */
export async function settled(page: Page): Promise<void> {
  await page.locator('[data-queue]').first().waitFor({ timeout: 30_000 });
  await page
    .locator('[data-tile="teams"] [data-team]')
    .first()
    .waitFor({ timeout: 5_000 })
    .catch(() => {
      /* a page without the teams tile (a TV rotation page) */
    });
  await page.waitForTimeout(1500);
}

/** Collects console errors, page errors, failed requests and 4xx/5xx answers into `problems`. */
export function watchPage(page: Page, where: string, problems: string[]): void {
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
}

/** Charts drawn on the page (laid out, so wide) but with no height to draw in. */
export async function flatCharts(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-chart]')]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height < 1;
      })
      .map((el) => `chart "${(el as HTMLElement).dataset['chart']}" has no height`),
  );
}

export interface FitOptions {
  tv: boolean;
  zh: boolean;
  server: TestServer;
  site: string;
  /** Proper names of the floor, kept fresh between checks (see zh-words.ts). */
  proper: Set<string>;
  /** On a TV, how many teams the teams tile must list (omit where it is not shown). */
  teams?: number;
}

/**
 * Every fit check of the page as it is now, each problem prefixed with `where`; returns the
 * updated proper names with the problems.
 */
export async function fitProblems(
  page: Page,
  where: string,
  o: FitOptions,
): Promise<{ problems: string[]; proper: Set<string> }> {
  if (o.zh) requireCjkFont();
  const problems: string[] = [];
  let proper = o.proper;
  for (const c of await cutText(page, o.tv)) problems.push(`${where}: ${c}`);
  for (const c of await flatCharts(page)) problems.push(`${where}: ${c}`);
  for (const c of await overlappingTiles(page)) problems.push(`${where}: ${c}`);
  const sideways = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  if (sideways > 0) problems.push(`${where}: page scrolls sideways by ${sideways} px`);
  if (o.zh) {
    proper = await properNamesNow(o.server, o.site, proper);
    for (const word of englishWords(await visibleText(page), proper))
      problems.push(`${where}: untranslated ${word}`);
  }
  if (o.tv && o.teams !== undefined) {
    const shown = await page.locator('[data-tile="teams"] [data-team]').count();
    if (shown !== o.teams) problems.push(`${where}: ${shown} of ${o.teams} teams shown`);
  }
  return { problems, proper };
}
