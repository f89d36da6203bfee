// The row a hand-written pipeline would insert: the parsed event's fields as they came,
// plus when and from whom it was received and the raw line, as one JSONEachRow line.
const chTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);

export function jsonEachRow(line: string, receivedAt: number, producer = 'bench'): string {
  const ev = JSON.parse(line) as Record<string, unknown>;
  return JSON.stringify({ ...ev, received_at: chTime(receivedAt), producer, raw: line });
}
