// A history report first builds the stored facts of the closed days it reads that are not
// stored yet (queries/index.ts, queries/workforce-facts.ts). After a back-fill, or for days
// older than the warmer's look-back, that is many days at several seconds each at 5,000 agents
// (docs/benchmarks.md, long history), so a first 90-day request could say nothing for many
// minutes. Instead it answers 503 with Retry-After once it has waited `waitMs`, while the
// build goes on; the same report asked again joins that build rather than starting another,
// and gets the answer once the build is done.
import type { ApiRequest, ApiResponse } from './router.js';

export class ReportWait {
  private readonly inFlight = new Map<string, Promise<ApiResponse>>();

  constructor(private readonly waitMs: number) {}

  async answer(req: ApiRequest, run: () => Promise<ApiResponse>): Promise<ApiResponse> {
    const key = `${req.path}?${req.query.toString()}`;
    let work = this.inFlight.get(key);
    if (!work) {
      const started = run();
      work = started;
      this.inFlight.set(key, started);
      // Also the rejection's handler once nobody waits for it (after a 503).
      const done = () => {
        if (this.inFlight.get(key) === started) this.inFlight.delete(key);
      };
      started.then(done, done);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.waitMs);
    });
    try {
      const r = await Promise.race([work, late]);
      if (r) return r;
    } finally {
      clearTimeout(timer);
    }
    return {
      status: 503,
      body: {
        error:
          'building the stored report figures of the days in this range; this report goes on building, ask again',
      },
      headers: { 'Retry-After': '5' },
    };
  }
}
