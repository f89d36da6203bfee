// One webhook POST that can only reach the targets webhook-target.ts allows. The address
// check runs inside the connection's own DNS lookup and the connection uses exactly the
// addresses it vetted, so a name cannot resolve to a public address for the check and to
// an internal one for the connection (DNS rebinding). IP literals skip Node's lookup, so
// they are checked before connecting. Redirects are followed by hand (307/308 only: they
// keep the POST and its body), each hop checked again, at most MAX_HOPS of them.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressProblem, hostOf, webhookUrlProblem } from '../../core/alerts/webhook-target.js';

export const MAX_HOPS = 3;

/** A target refused by the SSRF guard: retrying cannot help, so the delivery ends at once. */
export class BlockedTargetError extends Error {
  readonly code = 'EBLOCKEDTARGET';
}

export interface PostResult {
  status: number;
  statusText: string;
  /** The URL that answered (after redirects). */
  url: string;
}

export interface GuardedPostOptions {
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
  allowHosts: readonly string[];
}

/** A dns.lookup that refuses internal addresses and hands the connection only what it checked. */
function vettedLookup(allow: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(
      hostname,
      { family: options.family, hints: options.hints, all: true },
      (err, list) => {
        if (err) return callback(err, '', 0);
        const host = hostname.replace(/\.$/, '').toLowerCase();
        for (const a of list) {
          const why = addressProblem(host, a.address, allow);
          if (why) return callback(new BlockedTargetError(why), '', 0);
        }
        const first = list[0];
        if (!first) return callback(new BlockedTargetError(`${hostname} has no address`), '', 0);
        if (options.all)
          (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        else callback(null, first.address, first.family);
      },
    );
  };
}

/** Names resolved now (save time): why the URL's host may not be used, or null. A name that does not resolve yet is not refused here; delivery checks again. */
export async function resolvedUrlProblem(
  raw: string,
  allow: readonly string[],
): Promise<string | null> {
  const first = webhookUrlProblem(raw, allow);
  if (first) return first;
  const host = hostOf(new URL(raw));
  let list: dns.LookupAddress[];
  try {
    list = await dns.promises.lookup(host, { all: true });
  } catch {
    return null;
  }
  for (const a of list) {
    const why = addressProblem(host, a.address, allow);
    if (why) return `points at ${why}`;
  }
  return null;
}

function postOnce(
  u: URL,
  o: GuardedPostOptions,
): Promise<PostResult & { location: string | null }> {
  return new Promise((resolve, reject) => {
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(
      u,
      {
        method: 'POST',
        headers: { ...o.headers, 'Content-Length': String(Buffer.byteLength(o.body)) },
        lookup: vettedLookup(o.allowHosts),
        signal: o.signal,
        // A fresh connection per request: a kept-alive socket would skip the lookup.
        agent: false,
      },
      (res) => {
        // Drain the body; its content is not needed.
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            url: u.toString(),
            location: typeof res.headers.location === 'string' ? res.headers.location : null,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

/** POSTs the body, following 307/308 redirects by hand; throws BlockedTargetError for a refused target. */
export async function guardedPost(url: string, o: GuardedPostOptions): Promise<PostResult> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const why = webhookUrlProblem(current, o.allowHosts);
    if (why)
      throw new BlockedTargetError(
        hop === 0 ? `the URL ${why}` : `redirect to ${current}: the URL ${why}`,
      );
    const res = await postOnce(new URL(current), o);
    if ((res.status !== 307 && res.status !== 308) || !res.location) return res;
    if (hop + 1 > MAX_HOPS) throw new BlockedTargetError(`more than ${MAX_HOPS} redirects`);
    current = new URL(res.location, current).toString();
  }
}
