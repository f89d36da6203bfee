// A route's reply as a client reads it: a body sent as JSON text or bytes (the conformance
// report's rows come written by ClickHouse) parsed, like an object body.
import { BodyParts, type ApiResponse } from '../../ingest/src/adapters/http/router.js';

export function parsedBody<T extends ApiResponse>(r: T): T {
  const type = r.headers?.['Content-Type'] ?? '';
  const text = r.body instanceof BodyParts ? r.body.text() : r.body;
  return typeof text === 'string' && type.startsWith('application/json')
    ? { ...r, body: JSON.parse(text) as unknown }
    : r;
}
