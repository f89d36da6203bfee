// WS /ws/ingest: each message is an NDJSON batch, answered after commit with the batch's
// number on that socket (`seq`). A producer that does not read its replies fills its
// send buffer and is closed by uWS (closeOnBackpressureLimit), so memory stays bounded.
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { AppContext } from '../../app-context.js';
import { OverloadedError, type IngestService } from '../../pipeline/ingest-service.js';

interface IngestSocket {
  producer: string;
  seq: number;
  inflight: number;
  inflightBytes: number;
  closed: boolean;
}

/**
 * Unacknowledged batches (and their bytes) one socket may have; past either a batch is
 * refused, not queued. 16,384 lets a producer sending one event per message keep as many
 * events in flight as one sending batches (an ack takes one insert, ~100-300 ms under load:
 * at 1,024 a one-event producer was capped near 4k events/s); the bytes bound the memory.
 */
const MAX_INFLIGHT = 16_384;
const MAX_INFLIGHT_BYTES = 64 * 1024 * 1024;
/** Replies a producer has not read; past it the socket is closed. */
const MAX_BACKPRESSURE = 8 * 1024 * 1024;

export function registerIngestSocket(app: TemplatedApp, ctx: AppContext, ingest: IngestService): void {
  let nextId = 0;
  // Replies are queued per socket and sent together once the microtasks of a commit have
  // run: one insert answers thousands of one-event batches at once, and one corked write
  // per socket instead of one per reply took the socket layer from ~21% of the main thread.
  const outbox = new Map<WebSocket<IngestSocket>, string[]>();
  let flushing = false;
  const flush = () => {
    flushing = false;
    for (const [ws, msgs] of outbox) {
      if (ws.getUserData().closed) continue;
      ws.cork(() => {
        for (const m of msgs) ws.send(m);
      });
    }
    outbox.clear();
  };
  const queueReply = (ws: WebSocket<IngestSocket>, text: string) => {
    let q = outbox.get(ws);
    if (!q) outbox.set(ws, (q = []));
    q.push(text);
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  };
  app.ws<IngestSocket>('/ws/ingest', {
    maxPayloadLength: ctx.config.maxBodyBytes,
    maxBackpressure: MAX_BACKPRESSURE,
    closeOnBackpressureLimit: 1,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) => {
      const named = req.getHeader('x-floorwatch-producer') || new URLSearchParams(req.getQuery() ?? '').get('producer') || '';
      const remote = Buffer.from(res.getRemoteAddressAsText()).toString();
      res.upgrade<IngestSocket>(
        { producer: (named || `ws:${remote}#${++nextId}`).slice(0, 128), seq: 0, inflight: 0, inflightBytes: 0, closed: false },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    message: (ws, message) => {
      const data = ws.getUserData();
      const seq = ++data.seq;
      // Copy: uWS reuses the message buffer once this handler returns.
      const body = Buffer.from(new Uint8Array(message));
      const reply = (obj: object) => {
        if (!data.closed) queueReply(ws, JSON.stringify(obj));
      };
      if (data.inflight >= MAX_INFLIGHT || (data.inflight > 0 && data.inflightBytes + body.length > MAX_INFLIGHT_BYTES)) {
        reply({ seq, accepted: 0, duplicates: 0, rejected: [], error: `more than ${MAX_INFLIGHT} batches or ${MAX_INFLIGHT_BYTES >> 20} MiB await acknowledgement on this socket; wait for replies before sending more (nothing in this batch was stored)` });
        return;
      }
      data.inflight++;
      data.inflightBytes += body.length;
      ingest
        .submit(body, data.producer)
        .then((r) => reply({ ...r, seq }))
        .catch((e: unknown) => {
          if (e instanceof OverloadedError) reply({ seq, accepted: 0, duplicates: 0, rejected: [], error: e.message, retry_after_ms: e.retryAfterMs });
          else {
            ctx.log.error({ err: e }, 'ingest batch failed');
            reply({ seq, accepted: 0, duplicates: 0, rejected: [], error: 'the batch could not be stored; nothing in it was acknowledged, resend it' });
          }
        })
        .finally(() => {
          data.inflight--;
          data.inflightBytes -= body.length;
        });
    },
    close: (ws) => {
      ws.getUserData().closed = true;
      outbox.delete(ws);
    },
  });
}
