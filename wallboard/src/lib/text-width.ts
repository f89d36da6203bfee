// Rendered width of a label in a given CSS font, measured on one shared canvas and cached:
// the axes thin their ticks by real widths (a zh date is wider than "7 Dec").
let ctx: CanvasRenderingContext2D | null | undefined;
const cache = new Map<string, number>();

/** A measure for `font` (CSS shorthand, e.g. "12px system-ui"); ~0.6 em per character without a canvas. */
export function textMeasure(font: string): (text: string) => number {
  if (ctx === undefined)
    ctx =
      typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  const px = parseFloat(font) || 12;
  return (text: string): number => {
    const k = `${font}\u0000${text}`;
    let w = cache.get(k);
    if (w === undefined) {
      if (ctx) {
        ctx.font = font;
        w = ctx.measureText(text).width;
      } else w = text.length * px * 0.6;
      // Bounded: a month of 60-min labels in two languages is a few thousand entries.
      if (cache.size > 20_000) cache.clear();
      cache.set(k, w);
    }
    return w;
  };
}
