// A small, socket-free router: handlers take a plain request and return a plain response,
// so they can be called directly in tests and wired to uWS in one place (server.ts).
import type { Access } from '../auth/gate.js';

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  /** The caller, as the access gate let it in (absent when a test calls the router directly). */
  access?: Access;
  /** The peer address (sign-in limits per address). */
  remote?: string;
}

export interface ApiResponse {
  status: number;
  /** Objects are sent as JSON; strings, Buffers and BodyParts as they are. */
  body: unknown;
  headers?: Record<string, string>;
  /** Set-Cookie values, one header each. */
  cookies?: string[];
  /** What this change was, for the audit log (without it a change is logged by method and path). */
  audit?: AuditEntry[];
}

export interface AuditEntry {
  site: string;
  /** e.g. site.config, roster.upload, excused.add, alert.ack, user.create, token.revoke */
  action: string;
  target: string;
  /** What changed; never a secret or password. */
  detail?: unknown;
  /** Who, when the gate does not know yet (a sign-in names its user). */
  actor?: string;
}

/**
 * A body of byte pieces sent one after another as they are: a large answer ClickHouse wrote
 * (the 90-day conformance by agent, 57 MB) goes to the socket without a joined copy or a JS
 * string of it.
 */
export class BodyParts {
  constructor(readonly parts: readonly Buffer[]) {}

  /** The whole body as text (tests that read a reply without a socket). */
  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

export type Handler = (req: ApiRequest) => Promise<ApiResponse> | ApiResponse;

/** An error with an HTTP status and a plain-words message for the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  private readonly refusals = new Map<
    string,
    (status: number, error: string, req: { headers: Record<string, string> }) => ApiResponse
  >();

  /** A route whose callers expect refusals (401/403) in their own shape, e.g. Firehose's. */
  onRefused(
    path: string,
    shape: (status: number, error: string, req: { headers: Record<string, string> }) => ApiResponse,
  ): void {
    this.refusals.set(path, shape);
  }

  /** The access gate's refusal, in the route's own shape when it has one. */
  refusal(
    path: string,
    status: number,
    error: string,
    req: { headers: Record<string, string> },
  ): ApiResponse | null {
    return this.refusals.get(path)?.(status, error, req) ?? null;
  }

  /** Every registered route as [method, pattern] (the access matrix test checks each has a rule). */
  list(): [string, string][] {
    return this.routes.map((r) => [r.method, '/' + r.parts.join('/')]);
  }

  add(method: 'GET' | 'POST' | 'PUT' | 'DELETE', pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  /** Finds the handler for a path; `:name` segments become params. */
  match(
    method: string,
    path: string,
  ): { handler: Handler; params: Record<string, string> } | { allowed: string[] } | null {
    const segs = path.split('/').filter(Boolean);
    const allowed: string[] = [];
    for (const r of this.routes) {
      if (r.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        const p = r.parts[i] as string;
        const s = segs[i] as string;
        if (p.startsWith(':')) {
          try {
            params[p.slice(1)] = decodeURIComponent(s);
          } catch {
            ok = false;
            break;
          }
        } else if (p !== s) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (r.method === method) return { handler: r.handler, params };
      allowed.push(r.method);
    }
    return allowed.length ? { allowed } : null;
  }

  /** Runs a request through the matching handler, turning errors into JSON replies. */
  async handle(req: Omit<ApiRequest, 'params'>): Promise<ApiResponse> {
    const m = this.match(req.method, req.path);
    if (!m) return { status: 404, body: { error: `no route for ${req.method} ${req.path}` } };
    if ('allowed' in m)
      return {
        status: 405,
        body: { error: `${req.method} is not allowed on ${req.path}; use ${m.allowed.join(', ')}` },
        headers: { Allow: m.allowed.join(', ') },
      };
    try {
      return await m.handler({ ...req, params: m.params });
    } catch (e) {
      if (e instanceof HttpError)
        return {
          status: e.status,
          body: { error: e.message, ...(e.details !== undefined ? { details: e.details } : {}) },
        };
      throw e;
    }
  }
}

/** Reads a required query parameter or throws a 400 naming it. */
export function requireParam(q: URLSearchParams, name: string): string {
  const v = q.get(name);
  if (v === null || v === '') throw new HttpError(400, `query parameter "${name}" is required`);
  return v;
}

/** Parses a JSON body or throws a 400 with the parser's reason. */
export function jsonBody(req: ApiRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, `the body is not valid JSON: ${(e as Error).message}`);
  }
}
