// Helpers of the identity pages' browser tests: the Latin words left on a zh page (the same
// rule as board-zh.test.ts: data marked translate="no" and a few allowed words pass), and
// a browser context signed in as a given person.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signIn, TEST_PASSWORD } from '../helpers/auth.js';

/** Latin words a Chinese page uses as they are. */
export const ZH_ALLOWED = new Set(['Floorwatch', 'TV', 'CSV', 'UTC']);

/** Visible text with Latin words outside translate="no", each with the words found. */
export async function latinWords(page: Page, allowed: Iterable<string> = []): Promise<string[]> {
  const ok = new Set([...ZH_ALLOWED, ...allowed]);
  const texts = await page.evaluate(() => {
    const out: string[] = [];
    const shown = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim() ?? '';
      if (!el || !text || el.closest('script,style,option,[translate="no"]') || !shown(el))
        continue;
      out.push(text);
    }
    for (const el of document.querySelectorAll('input[placeholder],textarea[placeholder]'))
      if (shown(el)) out.push(el.getAttribute('placeholder') ?? '');
    for (const el of document.querySelectorAll('select'))
      if (
        shown(el) &&
        !el.closest('[translate="no"]') &&
        el.selectedOptions[0]?.getAttribute('translate') !== 'no'
      )
        out.push(el.selectedOptions[0]?.textContent ?? '');
    for (const el of document.querySelectorAll('button,input[type="submit"]'))
      if (shown(el) && el.getAttribute('value')) out.push(el.getAttribute('value') ?? '');
    return out;
  });
  const found: string[] = [];
  for (const text of texts) {
    const words = (text.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? []).filter((w) => !ok.has(w));
    if (words.length) found.push(`${words.join(' ')} ← "${text.slice(0, 80)}"`);
  }
  return found;
}

/** A new context signed in as `user` (cookies from a real POST /api/auth/login). */
export async function contextAs(
  browser: Browser,
  server: { url: string },
  user: string,
  opts: { locale?: string; password?: string } = {},
): Promise<BrowserContext> {
  const s = await signIn(server, user, opts.password ?? TEST_PASSWORD);
  const ctx = await browser.newContext({
    viewport: { width: 1600, height: 1000 },
    locale: opts.locale ?? 'en-GB',
  });
  await ctx.addCookies(s.cookies.map((c) => ({ ...c, url: server.url })));
  return ctx;
}

/** Page errors and failed requests, collected for an assertion at the end. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}
