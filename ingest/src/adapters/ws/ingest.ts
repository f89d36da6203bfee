// WS /ws/ingest: each message is an NDJSON batch, answered after commit with the batch's
// number on that socket (`seq`). A producer that does not read its replies fills its
// send buffer and is closed by uWS (closeOnBackpressureLimit), so memory stays bounded.
import type { TemplatedApp } from 'uWebSockets.js';
import type { AppContext } from '../../app-context.js';
import { OverloadedError, type IngestService } from '../../pipeline/ingest-service.js';

interface IngestSocket {
  producer: string;
  seq: number;
  inflight: number;
  closed: boolean;
}

/** Unacknowledged batches one socket may have; past it a batch is refused, not queued. */
const MAX_INFLIGHT = 1024;
/** Replies a producer has not read; past it the socket is closed. */
const MAX_BACKPRESSURE = 8 * 1024 * 1024;

export function registerIngestSocket(app: TemplatedApp, ctx: AppContext, ingest: IngestService): void {
  let nextId = 0;
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
        { producer: (named || `ws:${remote}#${++nextId}`).slice(0, 128), seq: 0, inflight: 0, closed: false },
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
        if (!data.closed) ws.cork(() => ws.send(JSON.stringify(obj)));
      };
      if (data.inflight >= MAX_INFLIGHT) {
        reply({ seq, accepted: 0, duplicates: 0, rejected: [], error: `more than ${MAX_INFLIGHT} batches await acknowledgement on this socket; wait for replies before sending more (nothing in this batch was stored)` });
        return;
      }
      data.inflight++;
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
        });
    },
    close: (ws) => {
      ws.getUserData().closed = true;
    },
  });
}
