// A producer on WS /ws/ingest: each message is one NDJSON batch; the server answers every
// message, in order, with {accepted, duplicates, rejected:[{line,error}], seq} after commit.
// At most `maxInFlight` batches are unacknowledged, so a slow server slows the simulator
// instead of growing a backlog in either process.
import WebSocket from 'ws';

export interface IngestReply {
  accepted: number;
  duplicates: number;
  rejected: { line: number; error: string }[];
  seq: number;
  /** Set when nothing in the batch was stored (overload, storage failure): resend it. */
  error?: string;
  retry_after_ms?: number;
}

/** Wait before resending a batch the server could not store, when it gives no hint. */
const DEFAULT_RETRY_MS = 500;

export interface IngestTotals {
  batches: number;
  events: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export class IngestError extends Error {
  constructor(
    readonly code: 'connect_failed' | 'closed' | 'bad_reply',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class IngestClient {
  readonly totals: IngestTotals = {
    batches: 0,
    events: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
  };
  private inFlight = 0;
  /** Batches sent and not yet acknowledged, by the socket's batch number (the server counts the same way). */
  private readonly pending = new Map<number, string>();
  private seq = 0;
  private waiters: (() => void)[] = [];
  private failure: IngestError | null = null;

  private constructor(
    private readonly ws: WebSocket,
    private readonly maxInFlight: number,
    private readonly onRejected: (r: IngestReply) => void,
  ) {
    ws.on('message', (data) => this.onReply(String(data)));
    ws.on('close', (code, reason) =>
      this.fail(new IngestError('closed', `ingest socket closed (${code} ${String(reason)})`)),
    );
    ws.on('error', (e) =>
      this.fail(new IngestError('closed', `ingest socket error: ${e.message}`, { cause: e })),
    );
  }

  /** `token`: an ingest token of the site, or an admin token (sent as Authorization: Bearer). */
  static connect(
    url: string,
    maxInFlight: number,
    onRejected: (r: IngestReply) => void,
    token?: string | null,
  ): Promise<IngestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        perMessageDeflate: false,
        headers: {
          'X-Floorwatch-Producer': 'simulator',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
      });
      ws.once('open', () => resolve(new IngestClient(ws, Math.max(1, maxInFlight), onRejected)));
      ws.once('error', (e) =>
        reject(
          new IngestError('connect_failed', `cannot connect to ${url}: ${e.message}`, { cause: e }),
        ),
      );
    });
  }

  private fail(e: IngestError): void {
    if (this.inFlight === 0 && e.code === 'closed' && this.closing) return;
    this.failure ??= e;
    this.wake();
  }

  private closing = false;

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private onReply(text: string): void {
    let r: IngestReply;
    try {
      r = JSON.parse(text) as IngestReply;
    } catch (e) {
      return this.fail(
        new IngestError('bad_reply', `ingest reply is not JSON: ${text.slice(0, 200)}`, {
          cause: e,
        }),
      );
    }
    const body = this.pending.get(r.seq);
    if (typeof r.accepted !== 'number' || body === undefined) {
      return this.fail(
        new IngestError('bad_reply', `unexpected ingest reply ${text.slice(0, 300)}`),
      );
    }
    this.pending.delete(r.seq);
    if (r.error) {
      // Nothing was stored: send the same lines again after the server's hint (the ids make
      // a resend safe even if part of it had been stored).
      this.retries++;
      setTimeout(() => {
        if (!this.failure && !this.closing) this.transmit(body);
      }, r.retry_after_ms ?? DEFAULT_RETRY_MS);
      return;
    }
    this.inFlight--;
    this.totals.accepted += r.accepted;
    this.totals.duplicates += r.duplicates ?? 0;
    this.totals.rejected += r.rejected?.length ?? 0;
    if (r.rejected?.length) this.onRejected(r);
    this.wake();
  }

  private async waitFor(cond: () => boolean): Promise<void> {
    while (!cond()) {
      if (this.failure) throw this.failure;
      await new Promise<void>((res) => this.waiters.push(res));
    }
    if (this.failure) throw this.failure;
  }

  /** Sends one batch once fewer than maxInFlight are unacknowledged. */
  async send(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await this.waitFor(() => this.inFlight < this.maxInFlight);
    this.inFlight++;
    this.totals.batches++;
    this.totals.events += lines.length;
    this.transmit(lines.join('\n'));
  }

  /** Batches resent after the server could not store them. */
  retries = 0;

  private transmit(body: string): void {
    this.pending.set(++this.seq, body);
    this.ws.send(body);
  }

  /** Waits until every batch sent is acknowledged. */
  drain(): Promise<void> {
    return this.waitFor(() => this.inFlight === 0);
  }

  close(): void {
    this.closing = true;
    this.ws.close();
  }
}
