// POST /api/adapters/amazon-connect?site=S: the endpoint an Amazon Data Firehose stream's HTTP
// endpoint delivery posts Amazon Connect Agent Event Stream records to. It follows Firehose's
// contract: the X-Amz-Firehose-Access-Key header is the site's secret (401, nothing stored,
// when it is wrong), records arrive base64 in `records[].data`, and every reply echoes the
// request id and the time in Firehose's shape. Mapped events go through the same validation,
// dedupe and commit as any producer's; a record that cannot be mapped is kept as a dead letter
// with its reason. The reply is sent after commit, so a 200 means stored.
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  mapConnectRecord,
  newConnectState,
  type ConnectState,
} from '../../../../../adapters/amazon-connect/mapping.js';
import {
  FirehoseError,
  firehoseReply,
  parseFirehoseRequest,
  requestIdOf,
} from '../../../../../adapters/amazon-connect/firehose.js';
import type { AppContext } from '../../../app-context.js';
import { OverloadedError, type IngestService } from '../../../pipeline/ingest-service.js';
import type { ApiResponse, Router } from '../router.js';

export const CONNECT_PATH = '/api/adapters/amazon-connect';

const SITE_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Usernames remembered per agent ARN and site; past this the map starts over (it refills from the next snapshots). */
const MAX_NAMES = 100_000;

export interface ConnectRouteDeps {
  ingest: Pick<IngestService, 'submit' | 'deadLetter'>;
  /** Whether `key` is the site's access key (compared in constant time by the caller's rule). */
  accessKeyOk(site: string, key: string): boolean;
}

/** Constant-time comparison of two secrets of any length (hashed first, so lengths leak nothing). */
export function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

export function registerConnectRoute(
  router: Router,
  ctx: Pick<AppContext, 'config' | 'log' | 'now'>,
  deps: ConnectRouteDeps,
): void {
  const states = new Map<string, ConnectState>();
  // Refused by the access gate (wrong or missing key): still answered in Firehose's shape.
  router.onRefused(CONNECT_PATH, (status, error, req) => ({
    status,
    body: firehoseReply(
      requestIdOf(req.headers),
      ctx.now(),
      status === 401 ? 'the X-Amz-Firehose-Access-Key is not an access key of this site' : error,
    ),
  }));
  router.add('POST', CONNECT_PATH, async (req) => {
    let requestId = requestIdOf(req.headers);
    const fail = (status: number, message: string): ApiResponse => {
      ctx.log.warn({ requestId, status, reason: message }, 'amazon-connect delivery refused');
      return { status, body: firehoseReply(requestId, ctx.now(), message) };
    };
    const site = req.query.get('site') ?? '';
    if (!SITE_RE.test(site))
      return fail(400, 'query parameter "site" must be 1 to 64 letters, digits, "_", "." or "-"');
    const key = req.headers['x-amz-firehose-access-key'] ?? '';
    // Behind the access gate the caller is already checked (an ingest credential of this site).
    if (!req.access?.principal && (!key || !deps.accessKeyOk(site, key)))
      return fail(401, `the X-Amz-Firehose-Access-Key is not the access key of site ${site}`);
    let parsed;
    try {
      parsed = parseFirehoseRequest(req.body, req.headers, ctx.config.maxBodyBytes);
    } catch (e) {
      if (e instanceof FirehoseError) return fail(e.status, e.message);
      throw e;
    }
    requestId = parsed.requestId || requestId;
    let state = states.get(site);
    if (!state || state.names.size > MAX_NAMES) states.set(site, (state = newConnectState()));

    const lines: string[] = [];
    const dead: { line: number; reason: string; raw: string }[] = parsed.decoded.bad.map((b) => ({
      line: b.index + 1,
      reason: `record ${b.index + 1}: ${b.reason}`,
      raw: b.raw,
    }));
    for (const { index, value } of parsed.decoded.records) {
      const out = mapConnectRecord(state, value, site);
      for (const w of out.warnings)
        ctx.log.warn({ site, requestId, record: index + 1 }, `amazon-connect record: ${w}`);
      if ('reject' in out)
        dead.push({
          line: index + 1,
          reason: `record ${index + 1}: ${out.reject}`,
          raw: JSON.stringify(value).slice(0, 65_536),
        });
      for (const e of out.events) lines.push(JSON.stringify(e));
    }
    const producer = `amazon-connect:${site}`;
    try {
      if (lines.length) {
        const reply = await deps.ingest.submit(Buffer.from(lines.join('\n')), producer);
        if (reply.rejected.length)
          ctx.log.warn(
            { site, requestId, rejected: reply.rejected.slice(0, 10) },
            'amazon-connect events rejected by the contract (kept as dead letters)',
          );
      }
      await deps.ingest.deadLetter(producer, site, dead);
    } catch (e) {
      // Firehose retries a non-200 with the same request and records; their ids are fixed, so a retry stores nothing twice.
      if (e instanceof OverloadedError)
        return {
          ...fail(503, e.message),
          headers: { 'Retry-After': String(Math.ceil(e.retryAfterMs / 1000)) },
        };
      throw e;
    }
    if (dead.length)
      ctx.log.warn(
        { site, requestId, dead: dead.length },
        'amazon-connect records kept as dead letters',
      );
    return { status: 200, body: firehoseReply(requestId, ctx.now()) };
  });
}
