// The uWS HTTP shell: reads each request (headers and URL copied before any await, body
// capped and collected in chunks), hands it to the ingest service or the router, and
// writes the reply corked. Also serves /healthz, /metrics and the built wallboard.
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { AppContext } from '../../app-context.js';
import { refusal, type IngestService } from '../../pipeline/ingest-service.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Access, Gate } from '../auth/gate.js';
import { registry } from '../metrics.js';
import { uWS, uwsBuild } from '../uws.js';
import { BodyParts, type ApiResponse, type Router } from './router.js';
import { StaticFiles } from './static-files.js';
import { bodyTypeProblem } from './body-types.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { clientAddress, type TrustedProxies } from '../../core/access/forwarded.js';

const STATUS_TEXT: Record<number, string> = {
  200: '200 OK',
  201: '201 Created',
  202: '202 Accepted',
  204: '204 No Content',
  302: '302 Found',
  304: '304 Not Modified',
  400: '400 Bad Request',
  401: '401 Unauthorized',
  403: '403 Forbidden',
  404: '404 Not Found',
  405: '405 Method Not Allowed',
  409: '409 Conflict',
  411: '411 Length Required',
  413: '413 Payload Too Large',
  415: '415 Unsupported Media Type',
  422: '422 Unprocessable Entity',
  429: '429 Too Many Requests',
  500: '500 Internal Server Error',
  503: '503 Service Unavailable',
};

interface ReqInfo {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  remote: string;
}

class BodyTooLarge extends Error {}

export function createHttpApp(
  ctx: AppContext,
  router: Router,
  ingest: IngestService,
  staticDir: string | null,
  gate?: Gate,
  audit?: AuditLog,
): TemplatedApp {
  const app = uWS.App();
  const files = staticDir ? new StaticFiles(staticDir) : null;
  const maxBody = ctx.config.maxBodyBytes;

  app.any('/*', (res, req) => {
    const info = readRequest(res, req, ctx.config.auth.trustProxy);
    let aborted = false;
    res.onAborted(() => {
      aborted = true;
    });
    const send = (r: ApiResponse) => {
      if (aborted) return;
      res.cork(() => write(res, r, false, () => aborted));
    };
    const fail = (e: unknown) => {
      ctx.log.error({ err: e, path: info.path }, 'request failed');
      send({ status: 500, body: { error: 'internal error; the details are in the server log' } });
    };

    // Every request passes the access table first (core/access/route-table.ts).
    let access: Access | undefined;
    if (gate) {
      const g = gate.check(info);
      if (!g.ok)
        return send(
          router.refusal(info.path, g.status, g.error, info) ?? {
            status: g.status,
            body: { error: g.error },
            headers:
              g.status === 401
                ? { 'WWW-Authenticate': 'Bearer realm="floorwatch"', 'Cache-Control': 'no-store' }
                : { 'Cache-Control': 'no-store' },
          },
        );
      access = g.access;
    }
    if (info.method === 'GET' && info.path === '/healthz') {
      return send({ status: 200, body: { status: 'ok', storage: ctx.store.kind, uws: uwsBuild } });
    }
    if (info.method === 'GET' && info.path === '/metrics') {
      registry
        .metrics()
        .then(
          (text) =>
            send({ status: 200, body: text, headers: { 'Content-Type': registry.contentType } }),
          fail,
        );
      return;
    }
    const isApi = info.path.startsWith('/api/');
    if (!isApi) {
      if (info.method !== 'GET' && info.method !== 'HEAD')
        return send({ status: 404, body: { error: `no route for ${info.method} ${info.path}` } });
      // Routes outside /api (the kiosk link) before the board's files.
      const m = router.match('GET', info.path);
      if (m && 'handler' in m) {
        router
          .handle({
            method: 'GET',
            path: info.path,
            query: info.query,
            headers: info.headers,
            body: Buffer.alloc(0),
            access,
            remote: info.remote,
          })
          .then(send, fail);
        return;
      }
      return send(
        files
          ? files.serve(info.path, info.headers['accept-encoding'] ?? '')
          : { status: 404, body: { error: 'the wallboard is not built; run npm run build' } },
      );
    }
    readBody(res, maxBody, () => aborted)
      .then(async (body) => {
        // No forged "simple" cross-site bodies (text/plain, forms): 415 before any handler.
        const badType = bodyTypeProblem(
          info.method,
          info.path,
          info.headers['content-type'],
          body.length,
        );
        if (badType) return send({ status: 415, body: { error: badType } });
        if (info.method === 'POST' && info.path === '/api/events') {
          const producer = info.headers['x-floorwatch-producer'] || `http:${info.remote}`;
          try {
            // A per-site ingest token sends only its own site's events.
            const onlySite = access?.principal?.kind === 'ingest' ? access.principal.site : null;
            const reply = await ingest.submit(body, producer.slice(0, 128), onlySite);
            return send({ status: 200, body: reply });
          } catch (e) {
            const known = refusal(e);
            if (known)
              return send({
                status: 503,
                body: { error: known.error },
                headers: { 'Retry-After': String(Math.ceil(known.retryAfterMs / 1000)) },
              });
            throw e;
          }
        }
        const r = await router.handle({
          method: info.method,
          path: info.path,
          query: info.query,
          headers: info.headers,
          body,
          access,
          remote: info.remote,
        });
        // Every change that succeeded is in the audit log before its reply goes out.
        // A GET that changes something says so with its own entries (the SSO callback signs in).
        if (
          audit &&
          r.status < 400 &&
          (audit.audits(info.method, access?.rule.path ?? info.path) ||
            (info.method === 'GET' && r.audit !== undefined))
        ) {
          await audit.record(
            access,
            r.audit ?? [
              {
                site: access?.site ?? '',
                action: `${info.method} ${access?.rule.path ?? info.path}`,
                target: info.path,
              },
            ],
            info.remote,
          );
        }
        send(r);
      })
      .catch((e: unknown) => {
        if (e instanceof BodyTooLarge) {
          if (aborted) return;
          aborted = true;
          res.cork(() => write(res, tooLarge(maxBody), true));
          return;
        }
        fail(e);
      });
  });
  return app;
}

function tooLarge(max: number): ApiResponse {
  return {
    status: 413,
    body: {
      error: `the body is larger than the limit of ${max} bytes; split it into smaller batches`,
    },
  };
}

function readRequest(res: HttpResponse, req: HttpRequest, trusted: TrustedProxies): ReqInfo {
  const headers: Record<string, string> = {};
  req.forEach((k, v) => {
    headers[k] = v;
  });
  return {
    method: req.getCaseSensitiveMethod().toUpperCase(),
    path: req.getUrl(),
    query: new URLSearchParams(req.getQuery() ?? ''),
    headers,
    // Behind a trusted proxy, the client it forwarded for (sign-in limits, audit log).
    remote: clientAddress(
      Buffer.from(res.getRemoteAddressAsText()).toString(),
      headers['x-forwarded-for'],
      trusted,
    ),
  };
}

/**
 * Collects the body in chunks (copied: uWS reuses the buffer) and joins them once. Past
 * the limit it stops keeping bytes but reads on to the end, so the client (which is still
 * sending) gets a readable 413 instead of a reset; past 16x the limit it hangs up.
 */
function readBody(res: HttpResponse, max: number, isAborted: () => boolean): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.onData((chunk, isLast) => {
      if (isAborted()) return;
      size += chunk.byteLength;
      if (size > max) {
        chunks.length = 0;
        if (isLast || size > 16 * max) reject(new BodyTooLarge());
        return;
      }
      chunks.push(Buffer.from(new Uint8Array(chunk)));
      if (isLast)
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
  });
}

function write(
  res: HttpResponse,
  r: ApiResponse,
  close = false,
  isAborted: () => boolean = () => false,
): void {
  res.writeStatus(STATUS_TEXT[r.status] ?? String(r.status));
  let body: string | Buffer | BodyParts;
  let type = 'application/json; charset=utf-8';
  if (Buffer.isBuffer(r.body) || r.body instanceof BodyParts) {
    body = r.body;
    type = 'application/octet-stream';
  } else if (typeof r.body === 'string') {
    body = r.body;
    type = 'text/plain; charset=utf-8';
  } else body = JSON.stringify(r.body);
  // The security headers last: no route can weaken them.
  const headers = { 'Content-Type': type, ...r.headers, ...SECURITY_HEADERS };
  for (const [k, v] of Object.entries(headers)) res.writeHeader(k, v);
  for (const c of r.cookies ?? []) res.writeHeader('Set-Cookie', c);
  if (body instanceof BodyParts) sendParts(res, body.parts, isAborted);
  else res.end(body, close);
}

/**
 * Sends the pieces as one body of their total size, each as far as the socket takes it, the
 * rest when it drains: uWS's end() would copy whatever the socket does not take at once into
 * its own buffer, which for a 57 MB report is most of it.
 */
function sendParts(res: HttpResponse, parts: readonly Buffer[], isAborted: () => boolean): void {
  let total = 0;
  for (const p of parts) total += p.length;
  if (total === 0) {
    res.end();
    return;
  }
  let i = 0;
  // The write offset at which parts[i] starts.
  let start = res.getWriteOffset();
  const pump = (): boolean => {
    for (;;) {
      while (i < parts.length && (parts[i] as Buffer).length === 0) i++;
      const part = parts[i];
      if (!part) return true;
      const [ok, done] = res.tryEnd(part.subarray(res.getWriteOffset() - start), total);
      if (done) return true;
      if (!ok) return false;
      start += part.length;
      i++;
    }
  };
  if (!pump()) res.onWritable(() => !isAborted() && pump());
}
