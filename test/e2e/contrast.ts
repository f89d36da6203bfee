// WCAG contrast measured on the page as drawn: every visible word against the background it
// is painted on (translucent and color-mix fills composited up the ancestors), and coloured
// marks (state bars, squares, alert edges) against the panel around them. Shared by the theme
// and fit tests, so both judge a theme the same way.
import type { Page } from 'playwright-core';

export interface Contrast {
  /** What was measured, e.g. "state" or "level-yellow", with its lowest ratio. */
  kind: string;
  ratio: number;
  need: number;
  where: string;
}

export interface ContrastNeeds {
  /** Normal text (WCAG AA 4.5, AAA 7). */
  text: number;
  /** Large text: 24 px, or 18.66 px bold (AA 3, AAA 4.5). */
  large: number;
  /** Non-text marks that carry meaning (WCAG 1.4.11: 3). */
  mark: number;
}

export const NEEDS: Record<'light' | 'contrast', ContrastNeeds> = {
  light: { text: 4.5, large: 3, mark: 3 },
  contrast: { text: 7, large: 4.5, mark: 3 },
};

/**
 * Each word on the page with its contrast, grouped by kind: words in a state colour
 * ("state"), alert level words and edges ("level-…"), threshold-coloured figures ("tone-…"),
 * any other word ("text"), and marks ("mark-…"). Returns every measurement, not only failures,
 * so a test can also check that what it meant to measure was on the page.
 */
export async function measureContrast(page: Page, needs: ContrastNeeds): Promise<Contrast[]> {
  return page.evaluate((needs) => {
    type Rgba = [number, number, number, number];
    const parse = (c: string): Rgba => {
      // Chromium gives rgb()/rgba() with 0-255 channels and color(srgb …) with 0-1 channels.
      const srgb = c.match(/^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)/);
      if (srgb)
        return [
          Number(srgb[1]) * 255,
          Number(srgb[2]) * 255,
          Number(srgb[3]) * 255,
          srgb[4] === undefined ? 1 : Number(srgb[4]),
        ];
      const n = (c.match(/[\d.]+/g) ?? []).map(Number);
      if (c === 'transparent' || n.length < 3) return [0, 0, 0, 0];
      return [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0, n[3] ?? 1];
    };
    const over = (top: Rgba, under: Rgba): Rgba => {
      const a = top[3];
      return [
        top[0] * a + under[0] * (1 - a),
        top[1] * a + under[1] * (1 - a),
        top[2] * a + under[2] * (1 - a),
        1,
      ];
    };
    const lum = (c: Rgba): number => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: Rgba, b: Rgba): number => {
      const x = lum(a);
      const y = lum(b);
      return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    };
    /** The opaque colour behind an element: its own fill and its ancestors', composited. */
    const behind = (el: Element | null): Rgba => {
      const layers: Rgba[] = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      let acc: Rgba = [255, 255, 255, 1];
      for (const l of layers.reverse()) acc = over(l, acc);
      return acc;
    };
    const label = (el: Element): string =>
      `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    const kindOf = (el: Element): string => {
      if (el.closest('.level, .escalated, .lvl-info, .lvl-yellow, .lvl-orange, .lvl-red')) {
        const lv = el.closest('[data-level]')?.getAttribute('data-level');
        const cls = [...(el.closest('[class*="lvl-"]')?.classList ?? [])].find((c) =>
          c.startsWith('lvl-'),
        );
        return `level-${lv ?? cls?.slice(4) ?? '?'}`;
      }
      if (el.closest('.agent-grid .state, .sq .st, [data-tile="agents-by-state"] .label'))
        return 'state';
      const tone = el.closest('.tone-ok, .tone-warn, .tone-alarm');
      if (tone) return [...tone.classList].find((c) => c.startsWith('tone-')) ?? 'tone';
      return 'text';
    };
    const out: { kind: string; ratio: number; need: number; where: string }[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some(
        (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
      );
      if (!own || el.closest('option, script, style, title')) continue;
      const st = getComputedStyle(el);
      if (st.display === 'none' || st.visibility === 'hidden' || Number(st.opacity) === 0) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const bg = behind(el);
      const fg = over(parse(el instanceof SVGElement ? st.fill : st.color), bg);
      const px = parseFloat(st.fontSize);
      const large = px >= 24 || (px >= 18.66 && Number(st.fontWeight) >= 700);
      out.push({
        kind: kindOf(el),
        ratio: ratio(fg, bg),
        need: large ? needs.large : needs.text,
        where: label(el),
      });
    }
    // Marks: a state's bar or square edge and an alert card's edge against what surrounds them.
    const marks: [string, string, (el: Element) => string][] = [
      ['mark-state-bar', '.agent-grid .bar', (el) => getComputedStyle(el).backgroundColor],
      ['mark-state-square', '.sq', (el) => getComputedStyle(el).borderLeftColor],
      [
        'mark-state-count',
        '[data-tile="agents-by-state"] .state',
        (el) => getComputedStyle(el).borderLeftColor,
      ],
      [
        'mark-alert-edge',
        '[data-tile="alerts"] article',
        (el) => getComputedStyle(el).borderLeftColor,
      ],
    ];
    for (const [kind, sel, colour] of marks)
      for (const el of document.querySelectorAll(sel)) {
        if (el.getBoundingClientRect().width === 0) continue;
        const bg = behind(el.parentElement);
        out.push({
          kind,
          ratio: ratio(over(parse(colour(el)), bg), bg),
          need: needs.mark,
          where: label(el),
        });
      }
    return out;
  }, needs);
}

/** The measurements below their need, one line each. */
export function failures(all: readonly Contrast[], where = ''): string[] {
  return all
    .filter((c) => c.ratio < c.need)
    .map((c) => `${where}${c.kind} ${c.ratio.toFixed(2)} < ${c.need}: ${c.where}`);
}

/** The lowest ratio per kind, for a test's message and for checking what was measured. */
export function lowestByKind(all: readonly Contrast[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of all) m.set(c.kind, Math.min(m.get(c.kind) ?? Infinity, c.ratio));
  return m;
}
