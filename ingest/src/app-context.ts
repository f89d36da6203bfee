// What every adapter and route is handed: the read-once config, the store, the logger
// and the site directory (live runtimes). Built only in main.ts.
import type { Logger } from 'pino';
import type { AppConfig } from './config.js';
import type { Store } from './adapters/clickhouse/store.js';
import type { FwEvent } from './core/contract.js';
import type { AlertsModule, HeldCalls, WorkforceModule } from './core/modules.js';
import type { SiteConfig } from './core/site-config.js';
import type { LiveSnapshot } from './core/snapshot.js';
import type { WorkStateModule } from './core/workstate/engine.js';
import type { QualityEngine } from './core/quality/engine.js';

/** The live side of every site, as the routes see it (implemented in ingest/src/runtime/). */
export interface SiteDirectory {
  /** The site's configuration; an unknown site gets the defaults (UTC, T=20 s, 80%). */
  config(site: string): SiteConfig;
  /** Validated config: stores it, then applies it live. */
  setConfig(site: string, cfg: SiteConfig): Promise<void>;
  /** The site's live workforce engine (created with the runtime on first use). */
  workforce(site: string): WorkforceModule | undefined;
  alerts(site: string): AlertsModule | undefined;
  /** The site's work-state engine (break limits, caps, requests), when it runs one. */
  workState?(site: string): WorkStateModule | undefined;
  /** Feeds committed events to the live engines (called by ingest after commit). */
  applyCommitted(events: readonly FwEvent[], now: number): void;
  snapshot(site: string, now: number): LiveSnapshot;
  /** Marks a site changed outside the event flow (roster upload, ack) so the board republishes. */
  touch(site: string): void;
  sites(): string[];
  /** What the queue engines hold for late events, over all sites (for /metrics). */
  held(): HeldCalls;
  /** The site's live service-quality engine (#21): work orders, incidents. */
  quality?(site: string): QualityEngine | undefined;
  /** Re-evaluates a site's alerts now and republishes its board (after a change outside the event flow). */
  refresh?(site: string): void;
}

export interface AppContext {
  readonly config: Readonly<AppConfig>;
  readonly store: Store;
  readonly log: Logger;
  readonly sites: SiteDirectory;
  /** Wall-clock time; a parameter so tests can reason about it. */
  now(): number;
}
