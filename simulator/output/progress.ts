// A one-line progress bar on stderr for long runs: share of the simulated span done, the
// simulated clock, events written and the rate. Redrawn at most every 250 ms so drawing
// never costs more than a fraction of a percent of a back-fill.

export class Progress {
  private lastDraw = 0;
  private readonly started = performance.now();

  constructor(
    private readonly enabled: boolean,
    private readonly from: number,
    private readonly to: number,
    private readonly fmt: (t: number) => string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(simNow: number, events: number, extra = '', force = false): void {
    if (!this.enabled) return;
    const wall = performance.now();
    if (!force && wall - this.lastDraw < 250) return;
    this.lastDraw = wall;
    const span = this.to - this.from;
    const frac =
      span > 0 && Number.isFinite(span) ? Math.min(1, Math.max(0, (simNow - this.from) / span)) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const rate = events / Math.max(0.001, (wall - this.started) / 1000);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1).padStart(5)}% ${this.fmt(simNow).slice(0, 19)} ${compact(events)} events ${compact(rate)}/s${extra ? ' ' + extra : ''}`;
    this.out.write(`\r${line.padEnd(100)}`);
  }

  finish(simNow: number, events: number, extra = ''): void {
    if (!this.enabled) return;
    this.update(simNow, events, extra, true);
    this.out.write('\n');
  }
}

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
