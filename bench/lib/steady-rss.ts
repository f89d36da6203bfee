// A server's RSS at steady state, read from outside: sampled every 2 s until a major GC has
// run since the load and V8's memory reducer has had time to free pages (memory section).
import { rssBytes, sleep, type Server } from './proc.js';

/**
 * Node flags that make the server write `FW_GC_MAJOR` to stderr on every major GC (a
 * PerformanceObserver on 'gc' entries; nothing else changes).
 */
export const GC_WATCH_ARGS: string[] = [
  '--import',
  'data:text/javascript,' +
    encodeURIComponent(
      "import { PerformanceObserver, constants } from 'node:perf_hooks';" +
        "new PerformanceObserver((l)=>{for(const e of l.getEntries())if(e.detail?.kind===constants.NODE_PERFORMANCE_GC_MAJOR)process.stderr.write('FW_GC_MAJOR\\n')}).observe({entryTypes:['gc']});",
    ),
];

/** Counts the server's major GCs (from GC_WATCH_ARGS lines on its stderr). */
function watchMajorGcs(s: Server): { count(): number; stop(): void } {
  let n = 0;
  let tail = '';
  const on = (d: Buffer) => {
    const text = tail + d.toString();
    n += text.split('FW_GC_MAJOR\n').length - 1;
    tail = text.slice(-12);
    if (tail.includes('FW_GC_MAJOR\n')) tail = '';
  };
  s.proc.stderr?.on('data', on);
  return { count: () => n, stop: () => s.proc.stderr?.off('data', on) };
}

/**
 * RSS at steady state: sampled every 2 s; once `minS` have passed and five samples were
 * taken after a major GC since the start (or `maxS` passed), the median of the last five.
 */
export async function steadyRss(
  s: Server,
  minS: number,
  maxS: number,
): Promise<{ rss: number; waitedS: number; majorGcs: number }> {
  const gcs = watchMajorGcs(s);
  const t0 = performance.now();
  const samples: number[] = [];
  // Samples taken after the first major GC: V8's memory reducer releases pages a few
  // seconds after it, so five samples (10 s) past it are read.
  let afterGc = 0;
  try {
    for (;;) {
      await sleep(2000);
      samples.push(rssBytes(s.pid));
      if (gcs.count() > 0) afterGc++;
      const el = (performance.now() - t0) / 1000;
      if ((el >= minS && afterGc >= 5) || el >= maxS) {
        const last = samples.slice(-5).sort((a, b) => a - b);
        return {
          rss: last[Math.floor(last.length / 2)] as number,
          waitedS: el,
          majorGcs: gcs.count(),
        };
      }
    }
  } finally {
    gcs.stop();
  }
}
