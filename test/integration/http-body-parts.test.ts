// A body of byte pieces (BodyParts: the conformance report's rows as ClickHouse wrote them)
// through the real uWS server: larger than the socket takes at once, so most of it goes out
// as the socket drains. A slow reader gets every byte in order, and a reader that hangs up
// midway leaves the server answering the next request.
import http from 'node:http';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { us_listen_socket } from 'uWebSockets.js';
import { BodyParts, Router } from '../../ingest/src/adapters/http/router.js';
import { createHttpApp } from '../../ingest/src/adapters/http/server.js';
import { uWS } from '../../ingest/src/adapters/uws.js';
import type { AppContext } from '../../ingest/src/app-context.js';
import { readConfig } from '../../ingest/src/config.js';
import type { IngestService } from '../../ingest/src/pipeline/ingest-service.js';

// Three pieces of distinct bytes (and an empty one), 24 MB in all.
const piece = (seed: number, size: number) => {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
};
const parts = [piece(1, 8_000_001), Buffer.alloc(0), piece(2, 8_000_003), piece(3, 8_000_005)];
const whole = Buffer.concat(parts);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let listen: us_listen_socket;
let port = 0;

beforeAll(async () => {
  const router = new Router();
  router.add('GET', '/api/parts', () => ({
    status: 200,
    body: new BodyParts(parts),
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  }));
  const ctx = {
    config: readConfig({}),
    log: pino({ level: 'silent' }),
    store: { kind: 'embedded' },
  } as unknown as AppContext;
  const app = createHttpApp(ctx, router, {} as IngestService, null);
  listen = await new Promise<us_listen_socket>((resolve, reject) =>
    app.listen('127.0.0.1', 0, (s) => (s ? resolve(s) : reject(new Error('no listen')))),
  );
  port = uWS.us_socket_local_port(listen);
});

afterAll(() => uWS.us_listen_socket_close(listen));

/** GET /api/parts, pausing `pauseMs` after every `every` chunks; `stopAfter` bytes then hang up. */
function get(pauseMs: number, every: number, stopAfter = Infinity) {
  return new Promise<{ status: number; length: string | undefined; body: Buffer }>(
    (resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/parts' }, (res) => {
        const chunks: Buffer[] = [];
        let got = 0;
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          got += c.length;
          if (got >= stopAfter) {
            req.destroy();
            resolve({ status: -1, length: undefined, body: Buffer.alloc(0) });
            return;
          }
          if (chunks.length % every === 0) {
            res.pause();
            setTimeout(() => res.resume(), pauseMs);
          }
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            length: res.headers['content-length'],
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', (e) => (stopAfter === Infinity ? reject(e) : undefined));
    },
  );
}

describe('a BodyParts reply through uWS', () => {
  it('reaches a slow reader whole and in order, with its total length', async () => {
    const r = await get(20, 16);
    expect(r.status).toBe(200);
    expect(r.length).toBe(String(whole.length));
    expect(r.body.length).toBe(whole.length);
    expect(sha(r.body)).toBe(sha(whole));
  });

  it('stops cleanly when the reader hangs up midway, and the next reader gets all of it', async () => {
    await get(0, 1, 1_000_000);
    const r = await get(0, 1_000_000);
    expect(r.status).toBe(200);
    expect(sha(r.body)).toBe(sha(whole));
  });
});
