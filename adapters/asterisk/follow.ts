// --follow: tails the queue_log as Asterisk appends to it, maps each line, sends the events
// over WS /ws/ingest and, only once a batch is acknowledged, saves the place after its lines
// with the mapping's state. Killed at any point, it resumes from the last saved place: lines
// after it are read again and their events (same ids) are recognised as duplicates.
import type { OutEvent } from '../shared/event.js';
import type { SinkOptions } from '../shared/http-sink.js';
import { WsSink } from '../shared/ws-sink.js';
import { followFile } from './file-follower.js';
import { mapRow, type AsteriskOptions } from './mapping.js';
import { lineToRow } from './source.js';
import { loadState, saveState } from './state-file.js';
import { newState, pruneState } from './state.js';

export interface QueueLogFollow extends AsteriskOptions {
  file: string;
  stateFile: string;
  sink: SinkOptions;
  pollMs: number;
  log(message: string): void;
  /** Stops after the batch in flight (default: on SIGTERM or SIGINT). */
  signal?: AbortSignal;
}

export async function followQueueLog(o: QueueLogFollow): Promise<void> {
  const saved = loadState(o.stateFile);
  const mapper = saved?.mapper ?? newState();
  const sink = new WsSink({
    target: o.sink.target,
    token: o.sink.token,
    producer: o.sink.producer,
    log: o.log,
  });
  const ctl = new AbortController();
  const stop = () => ctl.abort();
  const signal = o.signal ?? ctl.signal;
  if (!o.signal) {
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }
  o.log(
    saved
      ? `following ${o.file} from offset ${saved.place.offset} (inode ${saved.place.inode})`
      : `following ${o.file} from its start`,
  );
  let lineNo = 0;
  let batches = 0;
  try {
    for await (const batch of followFile(o.file, saved?.place ?? null, {
      pollMs: o.pollMs,
      log: o.log,
      stopped: () => signal.aborted,
    })) {
      const events: OutEvent[] = [];
      for (const text of batch.lines) {
        const row = lineToRow(text, ++lineNo);
        if ('reason' in row) continue;
        const out = mapRow(mapper, row, o);
        events.push(...out.events);
      }
      if (events.length) {
        const reply = await sink.send(events);
        for (const r of reply.rejected)
          o.log(`rejected: ${r.error} (${JSON.stringify(events[r.line - 1]).slice(0, 200)})`);
      }
      if (++batches % 100 === 0) pruneState(mapper);
      saveState(o.stateFile, { version: 1, file: o.file, place: batch.place, mapper });
    }
  } finally {
    sink.close();
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
