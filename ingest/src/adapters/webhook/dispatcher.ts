// Delivers overflow-rule actions to a routing system's webhook: a signed JSON POST with an
// idempotency key that stays the same for every retry of one firing, retried with
// exponential back-off; every attempt is reported (and stored by the caller), and a final
// failure is reported once so it can become its own alert.
import type { AlertChange } from '../../core/modules.js';
import type { OverflowRule, SiteConfig } from '../../core/site-config.js';
import { ATTEMPT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody } from './signature.js';
import { DEFAULT_RETRY, type WebhookRetryOptions } from '../../core/alerts/webhook-retry.js';
import type { DeliveryRow } from '../clickhouse/alert-store.js';
import { BlockedTargetError, guardedPost } from './guarded-post.js';
import { normaliseAllowHosts } from '../../core/alerts/webhook-target.js';

export { DEFAULT_RETRY, type WebhookRetryOptions };

/** One delivery attempt, as stored (alert-store.ts) with the body that was sent. */
export type DeliveryAttempt = DeliveryRow & { body: string };

export interface DeliveryJob {
  site: string;
  alert_id: string;
  rule: OverflowRule;
  event: 'overflow.raised' | 'overflow.cleared';
  url: string;
  secret: string;
  body: string;
  key: string;
}

export interface DeliveryOutcome {
  job: DeliveryJob;
  delivered: boolean;
  attempts: number;
  lastError: string;
}

export interface DispatcherOptions extends Partial<WebhookRetryOptions> {
  /** Internal hosts or addresses an admin allowed as targets (FLOORWATCH_WEBHOOK_ALLOW_HOSTS). */
  allowHosts?: readonly string[];
  /** Called for every attempt (the pipeline stores it in webhook_deliveries). */
  onAttempt?: (a: DeliveryAttempt) => void | Promise<void>;
  /** Called once per job when it ends, delivered or given up. */
  onDone?: (o: DeliveryOutcome) => void;
  now?: () => number;
}

export class WebhookError extends Error {
  constructor(
    readonly code: 'webhook_http' | 'webhook_network' | 'webhook_timeout',
    message: string,
    readonly status = 0,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 408, 425, 429 and 5xx may succeed later; any other status will not, so it is not retried. */
export const retryable = (status: number): boolean =>
  status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;

export function backoffMs(attempt: number, o: WebhookRetryOptions): number {
  return Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
}

/** The JSON body of one firing: no send time in it, so every retry sends the same bytes and signature. */
export function webhookBody(site: string, rule: OverflowRule, change: AlertChange): string {
  const a = change.alert;
  return JSON.stringify({
    event: change.kind === 'cleared' ? 'overflow.cleared' : 'overflow.raised',
    site,
    alert_id: a.id,
    rule: rule.id,
    queue: rule.queue,
    level: a.level,
    action: a.action_detail ?? null,
    action_text: a.action,
    action_zh: a.action_zh ?? null,
    message: a.message,
    raised_at: a.raised_at,
    cleared_at: a.cleared_at,
  });
}

export class WebhookDispatcher {
  private readonly o: WebhookRetryOptions;
  private readonly allowHosts: readonly string[];
  private readonly inflight = new Set<Promise<DeliveryOutcome>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: DispatcherOptions = {}) {
    this.o = {
      attempts: opts.attempts ?? DEFAULT_RETRY.attempts,
      baseDelayMs: opts.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxDelayMs: opts.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
      timeoutMs: opts.timeoutMs ?? DEFAULT_RETRY.timeoutMs,
    };
    this.allowHosts = normaliseAllowHosts(opts.allowHosts ?? []);
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  /** Jobs for the overflow raises and clears whose rule has a webhook. */
  jobs(site: string, cfg: SiteConfig, changes: readonly AlertChange[]): DeliveryJob[] {
    const out: DeliveryJob[] = [];
    for (const c of changes) {
      if (c.alert.kind !== 'overflow' || (c.kind !== 'raised' && c.kind !== 'cleared')) continue;
      const rule = cfg.overflow_rules.find((r) => r.id === c.alert.rule);
      if (!rule?.webhook) continue;
      const event = c.kind === 'cleared' ? 'overflow.cleared' : 'overflow.raised';
      out.push({
        site,
        alert_id: c.alert.id,
        rule,
        event,
        url: rule.webhook.url,
        secret: rule.webhook.secret,
        body: webhookBody(site, rule, c),
        key: `${c.alert.id}:${event}`,
      });
    }
    return out;
  }

  /** Starts delivering every job of these changes; returns their outcomes' promises. */
  handle(
    site: string,
    cfg: SiteConfig,
    changes: readonly AlertChange[],
  ): Promise<DeliveryOutcome>[] {
    return this.jobs(site, cfg, changes).map((j) => this.deliver(j));
  }

  deliver(job: DeliveryJob): Promise<DeliveryOutcome> {
    const p = this.run(job).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
    return p;
  }

  /** Resolves when every delivery started so far has ended. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /** Stops scheduling retries (shutdown); deliveries waiting for a retry end as not delivered. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private sleep(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve(!this.closed);
      }, ms);
      this.timers.add(t);
    });
  }

  private async attempt(
    job: DeliveryJob,
    n: number,
  ): Promise<{ status: number; error: string; blocked: boolean }> {
    try {
      const res = await guardedPost(job.url, {
        headers: {
          'Content-Type': 'application/json',
          [SIGNATURE_HEADER]: signBody(job.body, job.secret),
          [IDEMPOTENCY_HEADER]: job.key,
          [ATTEMPT_HEADER]: String(n),
          'User-Agent': 'Floorwatch-webhook/1',
        },
        body: job.body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
        allowHosts: this.allowHosts,
      });
      const ok = res.status >= 200 && res.status < 300;
      return {
        status: res.status,
        error: ok ? '' : `HTTP ${res.status} ${res.statusText}`.trim(),
        blocked: false,
      };
    } catch (e) {
      if (e instanceof BlockedTargetError)
        return { status: 0, error: `refused: ${e.message}`, blocked: true };
      const err = e as Error & { code?: string; cause?: { code?: string; message?: string } };
      const timeout = err.name === 'TimeoutError' || err.name === 'AbortError';
      const why = timeout
        ? `no answer within ${this.o.timeoutMs} ms`
        : (err.code ?? err.cause?.code ?? err.cause?.message ?? err.message);
      return { status: 0, error: why, blocked: false };
    }
  }

  private async run(job: DeliveryJob): Promise<DeliveryOutcome> {
    let lastError = '';
    let n: number;
    for (n = 1; n <= this.o.attempts; n++) {
      const start = this.now();
      const { status, error, blocked } = await this.attempt(job, n);
      const delivered = status >= 200 && status < 300;
      // A refused target stays refused: retrying would only repeat the refusal.
      const last = n === this.o.attempts || !retryable(status) || blocked || this.closed;
      const outcome: DeliveryAttempt['outcome'] = delivered
        ? 'delivered'
        : last
          ? 'failed'
          : 'retry';
      lastError = error;
      try {
        await this.opts.onAttempt?.({
          site: job.site,
          alert_id: job.alert_id,
          rule: job.rule.id,
          event: job.event,
          idempotency_key: job.key,
          url: job.url,
          attempt: n,
          at: start,
          status,
          outcome,
          error,
          duration_ms: this.now() - start,
          body: job.body,
        });
      } catch {
        // Recording an attempt must never stop the delivery itself.
      }
      if (delivered) return this.done({ job, delivered: true, attempts: n, lastError: '' });
      if (last) break;
      if (!(await this.sleep(backoffMs(n, this.o)))) break;
    }
    return this.done({ job, delivered: false, attempts: Math.min(n, this.o.attempts), lastError });
  }

  private done(o: DeliveryOutcome): DeliveryOutcome {
    this.opts.onDone?.(o);
    return o;
  }
}
