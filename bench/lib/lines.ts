// The load: contract-valid NDJSON lines for one site, built from string templates so a
// generator process can make ~1M lines/s. Each call walks the life of one call through
// five events (offered → answered → talking → ended → ready), spread over `agents` agents
// and `queues` queues, so the live engines see coherent traffic, not noise.

export interface LineGenOptions {
  site: string;
  /** Prefix that makes ids unique across producers and runs (dedupe would drop repeats). */
  prefix: string;
  agents: number;
  queues: number;
}

export class LineGen {
  private i = 0;
  private readonly head: string;
  constructor(private readonly o: LineGenOptions) {
    this.head = `","site":"${o.site}"`;
  }

  /** Builds `n` lines stamped with `ts` (ISO-8601), joined by "\n" (no trailing newline). */
  batch(n: number, ts: string): string {
    const out: string[] = new Array<string>(n);
    for (let j = 0; j < n; j++) out[j] = this.line(ts);
    return out.join('\n');
  }

  line(ts: string): string {
    const i = this.i++;
    const k = Math.floor(i / 5);
    const p = this.o.prefix;
    const call = `${p}c${k}`;
    const q = `q${k % this.o.queues}`;
    const a = `a${k % this.o.agents}`;
    const pre = `{"id":"${p}${i}","ts":"${ts}${this.head}`;
    switch (i % 5) {
      case 0:
        return `${pre},"type":"call.offered","call":"${call}","queue":"${q}"}`;
      case 1:
        return `${pre},"type":"call.answered","call":"${call}","queue":"${q}","agent":"${a}"}`;
      case 2:
        return `${pre},"type":"agent.state","agent":"${a}","state":"talking"}`;
      case 3:
        return `${pre},"type":"call.ended","call":"${call}","queue":"${q}","agent":"${a}"}`;
      default:
        return `${pre},"type":"agent.state","agent":"${a}","state":"ready"}`;
    }
  }
}

/** agent.login lines for agents a0..a{n-1}, each on one or two of `queues` queues. */
export function loginLines(
  site: string,
  prefix: string,
  agents: number,
  queues: number,
  ts: string,
): string[] {
  const out: string[] = [];
  for (let a = 0; a < agents; a++) {
    const qs = [`"q${a % queues}"`];
    if (queues > 1) qs.push(`"q${(a * 7 + 1) % queues}"`);
    out.push(
      `{"id":"${prefix}login${a}","ts":"${ts}","type":"agent.login","site":"${site}","agent":"a${a}","name":"Agent ${a}","team":"t${a % 50}","queues":[${qs.join(',')}]}`,
    );
  }
  return out;
}

/** A probe event: an agent.state whose reason carries its number, so a board can see it. */
export function probeLine(
  site: string,
  prefix: string,
  agent: string,
  n: number,
  ts: string,
): string {
  return `{"id":"${prefix}probe${n}","ts":"${ts}","type":"agent.state","site":"${site}","agent":"${agent}","state":"not_ready","reason":"p${n}"}`;
}

export function isoNow(): string {
  return new Date().toISOString();
}
