// Turns accepted events and rejected lines into JSONEachRow lines for ClickHouse.
import type { FwEvent } from '../core/contract.js';

/** "YYYY-MM-DD hh:mm:ss.mmm" in UTC: what a DateTime64(3, 'UTC') column parses fastest. */
export function chTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

export function toEventRow(ev: FwEvent, raw: string, receivedAt: number, producer: string, late: boolean): string {
  const e = ev as FwEvent & Partial<Record<'agent' | 'name' | 'team' | 'state' | 'reason' | 'call' | 'queue' | 'to_queue' | 'to_agent', string>> & { queues?: string[] };
  return JSON.stringify({
    site: e.site,
    id: e.id,
    type: e.type,
    ts: chTimestamp(e.ts),
    received_at: chTimestamp(receivedAt),
    agent: e.agent ?? '',
    name: e.name ?? '',
    team: e.team ?? '',
    queues: e.queues ?? [],
    state: e.state ?? '',
    reason: e.reason ?? '',
    call: e.call ?? '',
    queue: e.queue ?? '',
    to_queue: e.to_queue ?? '',
    to_agent: e.to_agent ?? '',
    late: late ? 1 : 0,
    producer,
    raw,
  });
}

export function toDeadLetterRow(receivedAt: number, producer: string, site: string, line: number, reason: string, raw: string): string {
  return JSON.stringify({ received_at: chTimestamp(receivedAt), producer, site, line, reason, raw });
}
