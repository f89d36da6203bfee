// Small row helpers: ClickHouse time text, and rejected lines as JSONEachRow dead-letter rows.

/** "YYYY-MM-DD hh:mm:ss.mmm" in UTC: what a DateTime64(3, 'UTC') column or parameter takes. */
export function chTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

export function toDeadLetterRow(receivedAt: number, producer: string, site: string, line: number, reason: string, raw: string): string {
  return JSON.stringify({ received_at: chTimestamp(receivedAt), producer, site, line, reason, raw });
}
