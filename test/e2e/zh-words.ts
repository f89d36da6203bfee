// The untranslated-word check shared by the zh and fit tests: visible text of a page
// (placeholders and selected options too) and the Latin words in it that are not proper
// names of the floor (agent names, work ids, the site's id) or words a Chinese floor uses.
import type { Page } from 'playwright-core';
import type { LiveSnapshot } from '../../ingest/src/core/snapshot.js';
import { api, type TestServer } from '../helpers/server.js';

/** Latin words a Chinese floor uses as they are. */
export const ALLOWED = new Set(['Floorwatch', 'TV', 'CSV', 'UTC']);

/**
 * Agent names (romanised in the simulator), work ids and work-order numbers (on the quality
 * tile and in work-order alerts, whose id is site:kind:ticket:ms) are the floor's own names,
 * as the check splits them into words.
 */
export function properNames(site: string, snap: LiveSnapshot): Set<string> {
  const tickets = [
    ...(snap.quality?.orders.map((o) => o.ticket) ?? []),
    ...snap.alerts.filter((a) => a.kind.startsWith('ticket_')).map((a) => a.id.split(':')[2] ?? ''),
  ];
  return new Set([
    site,
    ...snap.agents.flatMap((a) => [a.agent, ...a.name.split(/\s+/)]),
    ...tickets.flatMap((t) => t.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? []),
  ]);
}

/** Visible text of the page (and placeholders, selected options) with the element it is in. */
export async function visibleText(
  page: Page,
  skip = '',
): Promise<{ text: string; where: string }[]> {
  return page.evaluate((SKIP) => {
    const out: { text: string; where: string }[] = [];
    const not = SKIP ? `,${SKIP}` : '';
    const shown = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
    };
    const where = (el: Element): string => {
      const tile = el.closest('[data-tile],[data-region],[data-queue],header,section');
      return `${tile?.tagName.toLowerCase() ?? ''}${tile?.getAttribute('data-tile') ? `[${tile.getAttribute('data-tile')}]` : ''} ${el.tagName.toLowerCase()}.${el.className}`;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim() ?? '';
      // The signed-in person's name ([data-display-name]) is theirs, as they set it.
      if (
        !el ||
        !text ||
        el.closest(`script,style,option,[translate="no"],[data-display-name]${not}`) ||
        !shown(el)
      )
        continue;
      out.push({ text, where: where(el) });
    }
    for (const el of document.querySelectorAll('input[placeholder],textarea[placeholder]'))
      if (shown(el) && !(SKIP && el.closest(SKIP)))
        out.push({ text: el.getAttribute('placeholder') ?? '', where: where(el) });
    for (const el of document.querySelectorAll('select'))
      if (shown(el) && !el.closest(`[translate="no"]${not}`))
        out.push({ text: el.selectedOptions[0]?.textContent ?? '', where: where(el) });
    return out;
  }, skip);
}

/** "words ← text in where" for every visible text with a Latin word that is not allowed. */
export function englishWords(
  texts: { text: string; where: string }[],
  proper: Set<string>,
): string[] {
  const found: string[] = [];
  for (const { text, where } of texts) {
    const words = (text.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? []).filter(
      (w) => !ALLOWED.has(w) && !proper.has(w),
    );
    if (words.length) found.push(`${words.join(' ')}  ← "${text.slice(0, 80)}" in ${where}`);
  }
  return found;
}

/**
 * The proper names now, with those seen before: work-order alerts rise while a test runs, so
 * the names are read again after the page's text was (an alert shown is in this snapshot).
 */
export async function properNamesNow(
  server: TestServer,
  site: string,
  before: Set<string>,
): Promise<Set<string>> {
  const snap = (await (await api(server, `/api/live?site=${site}`)).json()) as LiveSnapshot;
  return new Set([...before, ...properNames(site, snap)]);
}
