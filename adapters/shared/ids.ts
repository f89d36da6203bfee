// Deterministic event ids: the same source record always gives the same ids, so importing a
// file again, or re-reading lines after a restart, is caught by ingest's dedupe (per site).
import { createHash } from 'node:crypto';

/**
 * The id of the first event made from a source record, from the record's normalised text.
 * 24 base64url characters of SHA-256 (144 bits): collisions are out of reach for any log.
 */
export function recordId(prefix: string, key: string): string {
  return `${prefix}-${createHash('sha256').update(key).digest('base64url').slice(0, 24)}`;
}

/**
 * The id of the n-th event (0-based) made from one record. Later events extend the first
 * id, so at the same timestamp they sort after it: the engine orders equal times by id.
 */
export function nthId(first: string, n: number): string {
  return n === 0 ? first : `${first}.${n}`;
}
