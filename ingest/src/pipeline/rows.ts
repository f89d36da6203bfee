// Turns accepted events and rejected lines into JSONEachRow lines for ClickHouse.
import type { FwEvent } from '../core/contract.js';

/** "YYYY-MM-DD hh:mm:ss.mmm" in UTC: what a DateTime64(3, 'UTC') column parses fastest. */
export function chTimestamp(ms: number): string {
  // Events come in bursts within the same second: format the second once, add the millis.
  const sec = Math.floor(ms / 1000);
  if (sec !== lastSec) {
    lastSec = sec;
    lastPrefix = new Date(sec * 1000).toISOString().replace('T', ' ').slice(0, 19);
  }
  const milli = ms - sec * 1000;
  return `${lastPrefix}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}`;
}
let lastSec = NaN;
let lastPrefix = '';

const str = JSON.stringify;
type Loose = FwEvent & Partial<Record<'agent' | 'name' | 'team' | 'state' | 'reason' | 'call' | 'queue' | 'to_queue' | 'to_agent', string>> & { queues?: string[] };

/** One JSONEachRow line; built as a template (the hot path: ~2x faster than stringifying an object). */
export function toEventRow(ev: FwEvent, raw: string, receivedAt: number | string, producer: string, late: boolean): string {
  const e = ev as Loose;
  // A batch passes its receive time already formatted, so the per-second cache serves `ts`.
  const rec = typeof receivedAt === 'string' ? receivedAt : chTimestamp(receivedAt);
  return (
    `{"site":${str(e.site)},"id":${str(e.id)},"type":"${e.type}","ts":"${chTimestamp(e.ts)}","received_at":"${rec}"` +
    `,"agent":${e.agent === undefined ? '""' : str(e.agent)},"name":${e.name === undefined ? '""' : str(e.name)},"team":${e.team === undefined ? '""' : str(e.team)}` +
    `,"queues":${e.queues === undefined ? '[]' : str(e.queues)},"state":${e.state === undefined ? '""' : str(e.state)},"reason":${e.reason === undefined ? '""' : str(e.reason)}` +
    `,"call":${e.call === undefined ? '""' : str(e.call)},"queue":${e.queue === undefined ? '""' : str(e.queue)},"to_queue":${e.to_queue === undefined ? '""' : str(e.to_queue)}` +
    `,"to_agent":${e.to_agent === undefined ? '""' : str(e.to_agent)},"late":${late ? 1 : 0},"producer":${str(producer)},"raw":${str(raw)}}`
  );
}

export function toDeadLetterRow(receivedAt: number, producer: string, site: string, line: number, reason: string, raw: string): string {
  return JSON.stringify({ received_at: chTimestamp(receivedAt), producer, site, line, reason, raw });
}
