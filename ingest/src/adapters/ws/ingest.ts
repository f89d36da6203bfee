// WS /ws/ingest: each message is an NDJSON batch, answered after commit with the batch's
// number on that socket (`seq`). A producer that does not read its replies fills its
// send buffer and is closed by uWS (closeOnBackpressureLimit), so memory stays bounded.
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { AppContext } from '../../app-context.js';
import { OverloadedError, type IngestReply, type IngestService } from '../../pipeline/ingest-service.js';

interface IngestSocket {
  producer: string;
  seq: number;
  inflight: number;
  inflightBytes: number;
  closed: boolean;
  /** Batches received this loop turn, submitted together. */
  group: Group | null;
}

interface Group {
  seqs: number[];
  bodies: Buffer[];
  bytes: number;
}

/** A group is submitted at once when it reaches this many bytes (large batches go alone). */
const GROUP_BYTES = 256 * 1024;

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
  // Keyed by socket with its data: a closed uWS socket throws on any access, even getUserData.
  const outbox = new Map<WebSocket<IngestSocket>, { data: IngestSocket; msgs: string[] }>();
  let flushing = false;
  const flush = () => {
    flushing = false;
    for (const [ws, { data, msgs }] of outbox) {
      if (data.closed) continue;
      ws.cork(() => {
        for (const m of msgs) ws.send(m);
      });
    }
    outbox.clear();
  };
  const queueReply = (ws: WebSocket<IngestSocket>, data: IngestSocket, text: string) => {
    if (data.closed) return;
    let q = outbox.get(ws);
    if (!q) outbox.set(ws, (q = { data, msgs: [] }));
    q.msgs.push(text);
    if (!flushing) {
      flushing = true;
      setImmediate(flush);
    }
  };
  const grouped = new Map<WebSocket<IngestSocket>, IngestSocket>();
  let grouping = false;
  const submitGroups = () => {
    grouping = false;
    for (const [ws, data] of grouped) {
      const g = data.group;
      data.group = null;
      if (g) submitGroup(ws, data, g);
    }
    grouped.clear();
  };
  const submitGroup = (ws: WebSocket<IngestSocket>, data: IngestSocket, g: Group) => {
    const reply = (obj: object) => queueReply(ws, data, JSON.stringify(obj));
    const pending = ingest.submitMany(g.bodies, data.producer);
    // submitMany has decoded the bodies before its first await. Letting go of them now frees
    // their copies at the next scavenge: kept until the ack (this closure holds `g`), every
    // message's copy outlived the insert into the old generation, and V8 counts those
    // buffers as external memory, whose growth starts a full GC of the whole heap.
    g.bodies.length = 0;
    pending
      .then((rs) => {
        for (let i = 0; i < rs.length; i++) queueReply(ws, data, replyText(rs[i] as IngestReply, g.seqs[i] as number));
      })
      .catch((e: unknown) => {
        let extra: object;
        if (e instanceof OverloadedError) extra = { error: e.message, retry_after_ms: e.retryAfterMs };
        else {
          ctx.log.error({ err: e }, 'ingest batch failed');
          extra = { error: 'the batch could not be stored; nothing in it was acknowledged, resend it' };
        }
        for (const seq of g.seqs) reply({ seq, accepted: 0, duplicates: 0, rejected: [], ...extra });
      })
      .finally(() => {
        data.inflight -= g.seqs.length;
        data.inflightBytes -= g.bytes;
      });
  };

  const maxBody = ctx.config.maxBodyBytes;
  app.ws<IngestSocket>('/ws/ingest', {
    // A message up to 4x the body limit is read and answered with a plain error, like
    // HTTP's 413; past that uWS closes the socket (1009), so memory per socket stays bounded.
    maxPayloadLength: Math.min(4 * maxBody, 2 ** 31 - 1),
    maxBackpressure: MAX_BACKPRESSURE,
    closeOnBackpressureLimit: 1,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) => {
      const named = req.getHeader('x-floorwatch-producer') || new URLSearchParams(req.getQuery() ?? '').get('producer') || '';
      const remote = Buffer.from(res.getRemoteAddressAsText()).toString();
      res.upgrade<IngestSocket>(
        { producer: (named || `ws:${remote}#${++nextId}`).slice(0, 128), seq: 0, inflight: 0, inflightBytes: 0, closed: false, group: null },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    message: (ws, message) => {
      const data = ws.getUserData();
      const seq = ++data.seq;
      if (message.byteLength > maxBody) {
        queueReply(ws, data, JSON.stringify({ seq, accepted: 0, duplicates: 0, rejected: [], error: `the message is ${message.byteLength} bytes, larger than the limit of ${maxBody} bytes; split it into smaller batches (nothing in it was stored)` }));
        return;
      }
      // Copy: uWS reuses the message buffer once this handler returns.
      const body = Buffer.from(new Uint8Array(message));
      if (data.inflight >= MAX_INFLIGHT || (data.inflight > 0 && data.inflightBytes + body.length > MAX_INFLIGHT_BYTES)) {
        queueReply(ws, data, JSON.stringify({ seq, accepted: 0, duplicates: 0, rejected: [], error: `more than ${MAX_INFLIGHT} batches or ${MAX_INFLIGHT_BYTES >> 20} MiB await acknowledgement on this socket; wait for replies before sending more (nothing in this batch was stored)` }));
        return;
      }
      data.inflight++;
      data.inflightBytes += body.length;
      // Small batches arriving in one loop turn are submitted together (each keeps its own
      // reply): a producer of one event per message otherwise pays a whole pipeline pass,
      // a write and a promise chain per event.
      let g = data.group;
      if (!g) {
        g = data.group = { seqs: [], bodies: [], bytes: 0 };
        grouped.set(ws, data);
        if (!grouping) {
          grouping = true;
          setImmediate(submitGroups);
        }
      }
      g.seqs.push(seq);
      g.bodies.push(body);
      g.bytes += body.length;
      if (g.bytes >= GROUP_BYTES) {
        data.group = null;
        grouped.delete(ws);
        submitGroup(ws, data, g);
      }
    },
    close: (ws) => {
      // A group still waiting for its turn is submitted anyway (its events may be stored; the
      // producer resends and dedupe answers duplicates), so nothing is left half-counted.
      ws.getUserData().closed = true;
      outbox.delete(ws);
    },
  });
}

/** The API v1 reply with its seq; the common all-accepted reply is built without JSON.stringify. */
function replyText(r: IngestReply, seq: number): string {
  if (r.rejected.length === 0) return `{"accepted":${r.accepted},"duplicates":${r.duplicates},"rejected":[],"late":${r.late},"seq":${seq}}`;
  return JSON.stringify({ ...r, seq });
}
