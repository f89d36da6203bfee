// What every adapter and route is handed: the read-once config, the store, the logger
// and the site runtimes. Built only in main.ts.
import type { Logger } from 'pino';
import type { AppConfig } from './config.js';
import type { Store } from './adapters/clickhouse/store.js';

export interface AppContext {
  readonly config: Readonly<AppConfig>;
  readonly store: Store;
  readonly log: Logger;
  /** Wall-clock time; a parameter so tests can reason about it. */
  now(): number;
}
