// Rejected lines as JSONEachRow dead-letter rows.
import { chTime } from '../../../queries/sql.js';

export function toDeadLetterRow(
  receivedAt: number,
  producer: string,
  site: string,
  line: number,
  reason: string,
  raw: string,
): string {
  return JSON.stringify({ received_at: chTime(receivedAt), producer, site, line, reason, raw });
}
