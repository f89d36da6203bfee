// Sends events to Floorwatch: POST /api/events in NDJSON batches with the site's token as a
// bearer token, and reads the reply (sent only after the batch is committed). A batch the
// server is too busy for (503) or that a network error cut off is sent again: its events
// have fixed ids, so a batch that was in fact stored comes back as duplicates.
import type { OutEvent } from './event.js';

export interface IngestReply {
  accepted: number;
  duplicates: number;
  rejected: { line: number; error: string }[];
  late?: number;
}

export class SinkError extends Error {
  readonly code = 'sink';
}

export interface SinkOptions {
  target: string;
  token?: string | undefined;
  /** Names the adapter in the server's `producer` column. */
  producer: string;
  /** Attempts per batch before giving up (default 5). */
  attempts?: number;
}

export function authHeader(token: string | undefined): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function postBatch(o: SinkOptions, events: readonly OutEvent[]): Promise<IngestReply> {
  const body = events.map((e) => JSON.stringify(e)).join('\n');
  const url = `${o.target.replace(/\/+$/, '')}/api/events`;
  const attempts = o.attempts ?? 5;
  let last = '';
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** i)));
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        body,
        headers: {
          'Content-Type': 'application/x-ndjson',
          'X-Floorwatch-Producer': o.producer,
          ...authHeader(o.token),
        },
      });
    } catch (e) {
      last = `cannot reach ${url}: ${(e as Error).message}`;
      continue;
    }
    const text = await res.text();
    if (res.status === 200) return JSON.parse(text) as IngestReply;
    last = `${url} answered ${res.status}: ${text.slice(0, 300)}`;
    // Busy or failing server: try again. Anything else (401, 403, 413, 400) will not change.
    if (res.status !== 503 && res.status < 500) break;
  }
  throw new SinkError(last);
}
