// Which body types a state-changing request may carry. A web page on another origin can send
// text/plain, application/x-www-form-urlencoded and multipart/form-data without a CORS
// preflight (a "simple" request), so a route that read such a body would act on a forged
// call; every other type makes the browser ask first, and the answer is no. Each route
// takes only what the README documents for it: JSON by default, NDJSON for events, CSV for
// roster and forecast uploads, the Firehose JSON (maybe gzip-encoded) for Amazon Connect.

const JSON_TYPES = ['application/json'];

/** Accepted media types per route (concrete path); anything not listed takes JSON only. */
const BY_ROUTE: { test: (path: string) => boolean; types: string[] }[] = [
  { test: (p) => p === '/api/events', types: ['application/json', 'application/x-ndjson'] },
  {
    test: (p) => /^\/api\/sites\/[^/]+\/roster$/.test(p),
    types: ['application/json', 'text/csv', 'application/csv'],
  },
  {
    test: (p) => /^\/api\/sites\/[^/]+\/forecast$/.test(p),
    types: ['text/csv', 'application/csv'],
  },
];

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The media type alone: `Application/JSON; charset=utf-8` -> `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function acceptedTypes(path: string): string[] {
  return BY_ROUTE.find((r) => r.test(path))?.types ?? JSON_TYPES;
}

/**
 * Why this request's body type is refused (answered 415), or null. A change with no body
 * needs no type; a change with a body needs one of its route's types.
 */
export function bodyTypeProblem(
  method: string,
  path: string,
  contentType: string | undefined,
  bodyBytes: number,
): string | null {
  if (!CHANGES.has(method)) return null;
  const type = mediaType(contentType);
  if (bodyBytes === 0 && type === '') return null;
  const ok = acceptedTypes(path);
  if (ok.includes(type)) return null;
  const given = type === '' ? 'no Content-Type' : `Content-Type ${type}`;
  return `${method} ${path} takes ${ok.join(' or ')}, not ${given}; send the body with one of those Content-Type headers`;
}
