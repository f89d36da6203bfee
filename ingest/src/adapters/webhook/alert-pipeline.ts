// What happens to the alert changes a site's engine returns: persist them (lifecycle rows),
// deliver overflow actions to their webhooks (attempts stored), and turn a delivery that
// finally failed into its own alert (kind webhook_failed), cleared when a later delivery
// for the rule succeeds or the overflow alert it was for clears.
import type { Logger } from 'pino';
import type { SiteDirectory } from '../../app-context.js';
import { levelOf } from '../../core/alerts/sources.js';
import type { AlertChange } from '../../core/modules.js';
import { insertDelivery, persistAlertChanges } from '../clickhouse/alert-store.js';
import type { Store } from '../clickhouse/store.js';
import { WebhookDispatcher, type DeliveryOutcome, type DispatcherOptions } from './dispatcher.js';

export interface AlertPipelineDeps {
  store: Store;
  sites: Pick<SiteDirectory, 'alerts' | 'config' | 'touch'>;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  now: () => number;
  webhook?: Omit<DispatcherOptions, 'onAttempt' | 'onDone'>;
}

export interface AlertPipeline {
  /** The runtime's onAlertChanges callback: call it with every list evaluate()/ack() returns. */
  onAlertChanges(site: string, changes: readonly AlertChange[]): void;
  /** Persists changes made outside the runtime (API ack) and waits for the write. */
  persist(site: string, changes: readonly AlertChange[]): Promise<void>;
  dispatcher: WebhookDispatcher;
  /** Lifecycle writes handed to the store and not yet settled (/metrics). */
  pendingWrites(): number;
  /** Resolves when pending writes and deliveries have ended (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

export function createAlertPipeline(deps: AlertPipelineDeps): AlertPipeline {
  const pending = new Set<Promise<void>>();

  const persist = (site: string, changes: readonly AlertChange[]): Promise<void> => {
    if (changes.length === 0) return Promise.resolve();
    const p = persistAlertChanges(deps.store, site, changes).finally(() => pending.delete(p));
    pending.add(p);
    return p;
  };

  const persistQuietly = (site: string, changes: readonly AlertChange[]): void => {
    persist(site, changes).catch((e: unknown) =>
      deps.log.error({ err: e, site, changes: changes.length }, 'storing alert changes failed'),
    );
  };

  /** Applies a change made here (not by evaluate) and lets the board republish. */
  const own = (site: string, change: AlertChange | null): void => {
    if (!change) return;
    persistQuietly(site, [change]);
    deps.sites.touch(site);
  };

  const onDone = (o: DeliveryOutcome): void => {
    const { site, rule } = o.job;
    const engine = deps.sites.alerts(site);
    if (!engine) return;
    if (o.delivered) {
      own(
        site,
        engine.resolve(
          'webhook_failed',
          rule.id,
          `a later delivery to the webhook succeeded (${o.job.event})`,
          deps.now(),
        ),
      );
      return;
    }
    deps.log.warn(
      { site, rule: rule.id, alert: o.job.alert_id, attempts: o.attempts, error: o.lastError },
      'webhook delivery failed',
    );
    const cfg = deps.sites.config(site);
    const action =
      rule.action.kind === 'overflow'
        ? `overflow ${rule.queue} to ${rule.action.to}`
        : `merge groups ${rule.action.groups.join(', ')}`;
    own(
      site,
      engine.raise(
        {
          kind: 'webhook_failed',
          key: rule.id,
          level: levelOf(cfg.alerts, 'webhook_failed'),
          queue: rule.queue,
          rule: rule.id,
          message: `The routing system did not take rule ${rule.id}'s action (${o.job.event}) after ${o.attempts} attempts: ${o.lastError}`,
          message_zh: `路由系统未接收规则 ${rule.id} 的动作（${o.job.event}），已尝试 ${o.attempts} 次：${o.lastError}`,
          action: `Apply it by hand in the routing system: ${action}`,
          action_zh: `请在路由系统中手工执行：${action}`,
        },
        deps.now(),
      ),
    );
  };

  const dispatcher = new WebhookDispatcher({
    ...deps.webhook,
    onAttempt: (a) =>
      insertDelivery(deps.store, a).catch((e: unknown) =>
        deps.log.error(
          { err: e, site: a.site, alert: a.alert_id },
          'storing a webhook delivery attempt failed',
        ),
      ),
    onDone,
  });

  return {
    onAlertChanges(site, changes) {
      if (changes.length === 0) return;
      persistQuietly(site, changes);
      const cfg = deps.sites.config(site);
      for (const p of dispatcher.handle(site, cfg, changes))
        p.catch((e: unknown) => deps.log.error({ err: e, site }, 'webhook delivery crashed'));
      const engine = deps.sites.alerts(site);
      if (!engine) return;
      for (const c of changes) {
        if (c.kind === 'cleared' && c.alert.kind === 'overflow' && c.alert.rule) {
          own(
            site,
            engine.resolve(
              'webhook_failed',
              c.alert.rule,
              'the overflow alert it was for has cleared',
              deps.now(),
            ),
          );
        }
      }
    },
    persist,
    dispatcher,
    pendingWrites: () => pending.size,
    async idle() {
      await dispatcher.idle();
      while (pending.size) await Promise.allSettled([...pending]);
    },
    close() {
      dispatcher.close();
    },
  };
}
