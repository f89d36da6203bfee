// The HTTP side of a Floorwatch server the simulator talks to: health, the site
// configuration and the roster (API v1 paths from design.md).
import type { SimConfig } from '../generator/model.js';
import type { RosterRow } from '../roster/rows.js';
import { CATEGORY_LABELS } from '../generator/quality.js';

export class ServerApiError extends Error {
  constructor(
    readonly code: 'http_error' | 'unreachable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** ws://host:port[/path] or http://host:port -> { http base, ingest socket URL }. */
export function targetUrls(target: string): { http: string; ingest: string } {
  const u = new URL(target);
  const secure = u.protocol === 'wss:' || u.protocol === 'https:';
  const host = u.host;
  const path = u.pathname && u.pathname !== '/' ? u.pathname : '/ws/ingest';
  return {
    http: `${secure ? 'https' : 'http'}://${host}`,
    ingest: `${secure ? 'wss' : 'ws'}://${host}${path}`,
  };
}

/** The site configuration body for PUT /api/sites/{site} (shape of ingest's SiteConfig). */
export function siteConfigBody(cfg: SimConfig, withOverflow = true): Record<string, unknown> {
  const body: Record<string, unknown> = {
    timezone: cfg.timezone,
    interval_minutes: 15,
    queues: Object.fromEntries(
      cfg.queues.map((q) => [
        q.name,
        {
          threshold_s: 20,
          target: 0.8,
          variant: 'default',
          short_abandon_s: 5,
          ...(q.label ? { label: q.label } : {}),
          ...(q.label_zh ? { label_zh: q.label_zh } : {}),
        },
      ]),
    ),
  };
  const teams = cfg.teams.filter((t) => t.label || t.label_zh);
  if (teams.length)
    body['teams'] = Object.fromEntries(
      teams.map((t) => [
        t.name,
        { ...(t.label ? { label: t.label } : {}), ...(t.label_zh ? { label_zh: t.label_zh } : {}) },
      ]),
    );
  if (withOverflow && cfg.overflow.length) body['overflow_rules'] = cfg.overflow;
  // Work-order categories by name when the run sends work orders (model.ts: quality).
  if (cfg.workforce !== null && cfg.quality !== false)
    body['quality'] = { categories: CATEGORY_LABELS };
  return body;
}

/** Headers for a call with a bearer token (FLOORWATCH_TOKEN: an admin token, or a manager's). */
export function bearer(token: string | null | undefined): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function put(
  url: string,
  body: unknown,
  token?: string | null,
): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    throw new ServerApiError('unreachable', `PUT ${url} failed: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/**
 * PUTs the site configuration. A server that does not know a section yet (overflow rules
 * are validated by their own module) gets the configuration without it, with a warning.
 */
export async function putSiteConfig(
  http: string,
  cfg: SimConfig,
  warn: (msg: string) => void,
  extra: Record<string, unknown> = {},
  token?: string | null,
): Promise<void> {
  const url = `${http}/api/sites/${encodeURIComponent(cfg.site)}`;
  let r = await put(url, { ...siteConfigBody(cfg), ...extra }, token);
  if (r.status === 400 && cfg.overflow.length && r.text.includes('overflow_rules')) {
    warn(
      `server refused overflow_rules (${r.text.slice(0, 200)}); configuring the site without them`,
    );
    r = await put(url, { ...siteConfigBody(cfg, false), ...extra }, token);
  }
  if (r.status < 200 || r.status >= 300)
    throw new ServerApiError(
      'http_error',
      `PUT ${url} answered ${r.status}: ${r.text.slice(0, 500)}`,
    );
}

/** PUTs the roster in chunks of whole agents (a roster PUT replaces the agent-days it names). */
export async function putRoster(
  http: string,
  site: string,
  rows: readonly RosterRow[],
  token?: string | null,
  maxRows = 5000,
): Promise<void> {
  const url = `${http}/api/sites/${encodeURIComponent(site)}/roster`;
  let chunk: RosterRow[] = [];
  const flush = async () => {
    if (!chunk.length) return;
    const r = await put(url, chunk, token);
    if (r.status < 200 || r.status >= 300)
      throw new ServerApiError(
        'http_error',
        `PUT ${url} answered ${r.status}: ${r.text.slice(0, 500)}`,
      );
    chunk = [];
  };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    chunk.push(row);
    const next = rows[i + 1];
    if (chunk.length >= maxRows && (!next || next.agent !== row.agent)) await flush();
  }
  await flush();
}

/** Polls GET /healthz until it answers 200 or the deadline passes. */
export async function waitHealthy(
  http: string,
  timeoutMs: number,
  isAlive: () => boolean = () => true,
): Promise<unknown> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  while (performance.now() < deadline && isAlive()) {
    try {
      const res = await fetch(`${http}/healthz`);
      if (res.ok) return (await res.json()) as unknown;
      last = `status ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ServerApiError(
    'unreachable',
    `${http}/healthz did not become healthy (${last || 'server exited'})`,
  );
}
