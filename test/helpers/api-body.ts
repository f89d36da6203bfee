// A route's reply as a client reads it: a body sent as JSON text (the conformance report's
// rows come written by ClickHouse) parsed, like an object body.
import type { ApiResponse } from '../../ingest/src/adapters/http/router.js';

export function parsedBody<T extends ApiResponse>(r: T): T {
  const type = r.headers?.['Content-Type'] ?? '';
  return typeof r.body === 'string' && type.startsWith('application/json')
    ? { ...r, body: JSON.parse(r.body) as unknown }
    : r;
}
