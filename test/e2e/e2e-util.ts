// Small helpers shared by the end-to-end tests: site configuration, event builders and
// reading a figure off the board.
import type { Page } from 'playwright-core';
import { authHeaders } from '../helpers/server.js';
import { zoneAtHour } from '../helpers/zone.js';

export async function putConfig(baseUrl: string, site: string, body: unknown): Promise<void> {
  const res = await fetch(`${baseUrl}/api/sites/${site}`, {
    method: 'PUT',
    headers: authHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PUT /api/sites/${site}: ${res.status} ${await res.text()}`);
}

/**
 * A zone where it is noon now. A site in it has "today" around the present hour whenever the
 * test runs: in UTC, a shift begun an hour ago is yesterday's from 00:00 to 01:00.
 */
export function noonZone(): string {
  return zoneAtHour(Date.now(), 12).zone;
}

/** Rosters each agent (in its team) for work from an hour ago to an hour from now. */
export async function rosterAtWorkNow(
  baseUrl: string,
  site: string,
  agents: readonly { agent: string; team: string }[],
): Promise<void> {
  const now = Date.now();
  const rows = agents.map((a) => ({
    ...a,
    start: new Date(now - 3_600_000).toISOString(),
    end: new Date(now + 3_600_000).toISOString(),
    activity: 'work',
  }));
  const res = await fetch(`${baseUrl}/api/sites/${site}/roster`, {
    method: 'PUT',
    headers: authHeaders({ 'content-type': 'application/json' }),
    body: JSON.stringify(rows),
  });
  if (!res.ok) throw new Error(`PUT /api/sites/${site}/roster: ${res.status} ${await res.text()}`);
}

let n = 0;
/** An event stamped now, with a unique id. */
export function ev(
  site: string,
  type: string,
  fields: Record<string, unknown>,
  ts = Date.now(),
): Record<string, unknown> {
  return { id: `e2e-${process.pid}-${++n}`, ts, type, site, ...fields };
}

/** The text of one figure in one queue tile, e.g. figureText(page, 'q1', 'waiting'). */
export function figure(page: Page, queue: string, id: string) {
  return page.locator(`[data-queue="${queue}"] [data-figure="${id}"] .figure-value`);
}

/** Resolves when the figure shows `text`, returning the ms it took (for the report, not asserted). */
export async function waitForFigure(
  page: Page,
  queue: string,
  id: string,
  text: string,
  timeoutMs = 10_000,
): Promise<number> {
  const t0 = Date.now();
  await page.waitForFunction(
    ([q, f, want]) =>
      document
        .querySelector(`[data-queue="${q}"] [data-figure="${f}"] .figure-value`)
        ?.textContent?.trim() === want,
    [queue, id, text] as const,
    { timeout: timeoutMs, polling: 'raf' },
  );
  return Date.now() - t0;
}
