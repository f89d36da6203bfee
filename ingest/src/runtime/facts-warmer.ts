// Builds the stored per-day facts of the history reports in the background, so no manager
// waits for a cold month: building a month of facts costs many times what reading them
// does (docs/benchmarks.md, history). Runs one site at a time, first
// shortly after start-up, then every `everyMs`; each pass only builds days that are closed
// and missing or touched since their last build, so a quiet pass costs one status query.
import type { Logger } from 'pino';

export interface FactsBuilder {
  name: string;
  /** Builds what is missing or stale for `site` over [from, to). */
  build(site: string, from: number, to: number, now: number): Promise<unknown>;
}

export interface FactsWarmerOptions {
  builders: FactsBuilder[];
  sites(): string[];
  log: Logger;
  now(): number;
  /** How far back to keep facts warm: a month of history plus margin. */
  lookbackMs?: number;
  firstDelayMs?: number;
  everyMs?: number;
}

export class FactsWarmer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly o: FactsWarmerOptions) {}

  start(): void {
    this.schedule(this.o.firstDelayMs ?? 10_000);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => {
        this.running = null;
        this.schedule(this.o.everyMs ?? 15 * 60_000);
      });
    }, ms);
    this.timer.unref();
  }

  /** One pass over every site; errors are logged and the next site goes on. */
  async pass(): Promise<void> {
    const now = this.o.now();
    const from = now - (this.o.lookbackMs ?? 35 * 86_400_000);
    for (const site of this.o.sites()) {
      for (const b of this.o.builders) {
        if (this.stopped) return;
        const t0 = performance.now();
        try {
          await b.build(site, from, now, now);
          this.o.log.debug(
            { site, facts: b.name, ms: Math.round(performance.now() - t0) },
            'report facts warm',
          );
        } catch (e) {
          this.o.log.warn(
            { err: e, site, facts: b.name },
            'building report facts failed; the report derives those days on demand',
          );
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
