// WS /ws/ingest: each message is an NDJSON batch, answered after commit with the batch's
// number on that socket (`seq`). A producer that does not read its replies fills its
// send buffer and is closed by uWS (closeOnBackpressureLimit), so memory stays bounded.
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import type { AppContext } from '../../app-context.js';
import type { Principal } from '../../core/access/index.js';
import { refusal, type IngestReply, type IngestService } from '../../pipeline/ingest-service.js';
import { CLOSE_REVOKED, type WsGuard } from '../auth/ws-guard.js';

interface IngestSocket {
  producer: string;
  seq: number;
  inflight: number;
  inflightBytes: number;
  closed: boolean;
  /** An ingest token's site: lines for any other site are refused. null: any site (admin). */
  onlySite: string | null;
  principal?: Principal | null | undefined;
}

/**
 * Unacknowledged batches (and their bytes) one socket may have; past either a batch is
 * refused, not queued. A producer sending one event per message needs thousands in flight
 * to keep up while an insert is under way; the bytes bound the memory.
 */
const MAX_INFLIGHT = 16_384;
const MAX_INFLIGHT_BYTES = 64 * 1024 * 1024;
/** Replies a producer has not read; past it the socket is closed. */
const MAX_BACKPRESSURE = 8 * 1024 * 1024;

export interface IngestSockets {
  /**
   * Closes every ingest socket once its batches are answered (call after the writer closed);
   * resolves with the batches read and answered over the server's life.
   */
  closeAll(timeoutMs: number): Promise<{ read: number; answered: number }>;
}

export function registerIngestSocket(
  app: TemplatedApp,
  ctx: AppContext,
  ingest: IngestService,
  guard?: WsGuard,
): IngestSockets {
  let nextId = 0;
  // Keyed by socket with its data: a closed uWS socket throws on any access, even getUserData.
  const open = new Map<WebSocket<IngestSocket>, IngestSocket>();
  let failures = 0;
  let read = 0;
  let answered = 0;

  // Replies are sent once per turn of the event loop, each socket's under one cork: an
  // insert acknowledges thousands of one-event messages at once, and a cork per reply is a
  // write(2) per reply.
  let outbox = new Map<WebSocket<IngestSocket>, string[]>();
  const flush = (): void => {
    const due = outbox;
    outbox = new Map();
    for (const [ws, texts] of due)
      if (open.has(ws))
        ws.cork(() => {
          for (const t of texts) ws.send(t);
        });
  };
  const send = (ws: WebSocket<IngestSocket>, data: IngestSocket, text: string): void => {
    answered++;
    if (data.closed) return;
    const texts = outbox.get(ws);
    if (texts) texts.push(text);
    else {
      if (!outbox.size) setImmediate(flush);
      outbox.set(ws, [text]);
    }
  };
  const refuse = (
    ws: WebSocket<IngestSocket>,
    data: IngestSocket,
    seq: number,
    error: string,
    retryAfterMs?: number,
  ): void =>
    send(
      ws,
      data,
      JSON.stringify({
        seq,
        accepted: 0,
        duplicates: 0,
        rejected: [],
        error,
        ...(retryAfterMs === undefined ? {} : { retry_after_ms: retryAfterMs }),
      }),
    );

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
      const named =
        req.getHeader('x-floorwatch-producer') ||
        new URLSearchParams(req.getQuery() ?? '').get('producer') ||
        '';
      const remote = Buffer.from(res.getRemoteAddressAsText()).toString();
      const principal = guard?.upgrade(res, req, '/ws/ingest');
      if (principal === null) return;
      const onlySite = principal?.kind === 'ingest' ? principal.site : null;
      res.upgrade<IngestSocket>(
        {
          producer: (named || `ws:${remote}#${++nextId}`).slice(0, 128),
          seq: 0,
          inflight: 0,
          inflightBytes: 0,
          closed: false,
          onlySite,
          principal,
        },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    open: (ws) => {
      open.set(ws, ws.getUserData());
      guard?.track(ws, ws.getUserData().principal, () => ws.end(CLOSE_REVOKED, 'token revoked'));
    },
    message: (ws, message) => {
      const data = ws.getUserData();
      const seq = ++data.seq;
      read++;
      if (message.byteLength > maxBody) {
        refuse(
          ws,
          data,
          seq,
          `the message is ${message.byteLength} bytes, larger than the limit of ${maxBody} bytes; split it into smaller batches (nothing in it was stored)`,
        );
        return;
      }
      if (
        data.inflight >= MAX_INFLIGHT ||
        (data.inflight > 0 && data.inflightBytes + message.byteLength > MAX_INFLIGHT_BYTES)
      ) {
        refuse(
          ws,
          data,
          seq,
          `more than ${MAX_INFLIGHT} batches or ${MAX_INFLIGHT_BYTES >> 20} MiB await acknowledgement on this socket; wait for replies before sending more (nothing in this batch was stored)`,
        );
        return;
      }
      const bytes = message.byteLength;
      data.inflight++;
      data.inflightBytes += bytes;
      // submit decodes the message before its first await, while uWS still owns the buffer.
      ingest.submit(new Uint8Array(message), data.producer, data.onlySite).then(
        (r) => {
          data.inflight--;
          data.inflightBytes -= bytes;
          send(ws, data, replyText(r, seq));
        },
        (e: unknown) => {
          data.inflight--;
          data.inflightBytes -= bytes;
          const known = refusal(e);
          if (known) return refuse(ws, data, seq, known.error, known.retryAfterMs);
          // One log line per failure with its reason, not a stack per batch: an insert that
          // fails fails every batch in it, and they all share the cause logged by the writer.
          if (failures++ % 1000 === 0)
            ctx.log.error({ reason: (e as Error)?.message, failures }, 'ingest batches failed');
          refuse(
            ws,
            data,
            seq,
            'the batch could not be stored; nothing in it was acknowledged, resend it',
            1000,
          );
        },
      );
    },
    close: (ws) => {
      // A batch still being written is stored or not; the producer resends it and dedupe
      // answers duplicates, so nothing is counted twice.
      ws.getUserData().closed = true;
      open.delete(ws);
      guard?.untrack(ws);
    },
  });

  return {
    async closeAll(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // Replies of batches still being answered go out first; then each socket ends with 1001.
      while ([...open.values()].some((d) => d.inflight > 0) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      flush();
      for (const ws of open.keys()) ws.end(1001, 'server shutting down');
      while (open.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return { read, answered };
    },
  };
}

/** The API v1 reply with its seq; the common all-accepted reply is built without JSON.stringify. */
function replyText(r: IngestReply, seq: number): string {
  if (r.rejected.length === 0)
    return `{"accepted":${r.accepted},"duplicates":${r.duplicates},"rejected":[],"late":${r.late},"seq":${seq}}`;
  return JSON.stringify({ ...r, seq });
}
