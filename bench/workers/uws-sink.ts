// The transport yardstick: a bare uWS WebSocket server that counts the NDJSON lines of
// each message (mode "count") or also JSON.parses each line (mode "parse"), discards
// them, and answers every message at once with the same reply shape Floorwatch uses.
import { uWS, uwsBuild } from '../../ingest/src/adapters/uws.js';
import { config, fail, finish, onMessage, ready } from './ipc.js';

const c = config<{ mode: 'count' | 'parse' }>();
let lines = 0;
let messages = 0;

try {
  const app = uWS.App();
  app.ws<{ seq: number }>('/ws/ingest', {
    maxPayloadLength: 16 * 1024 * 1024,
    maxBackpressure: 8 * 1024 * 1024,
    upgrade: (res, req, ctx) => {
      res.upgrade(
        { seq: 0 },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        ctx,
      );
    },
    message: (ws, msg) => {
      const buf = Buffer.from(msg);
      let n = 0;
      if (c.mode === 'parse') {
        const text = buf.toString();
        let start = 0;
        for (;;) {
          const i = text.indexOf('\n', start);
          const line = i < 0 ? text.slice(start) : text.slice(start, i);
          if (line.length) {
            JSON.parse(line);
            n++;
          }
          if (i < 0) break;
          start = i + 1;
        }
      } else {
        n = 1;
        let i = -1;
        while ((i = buf.indexOf(10, i + 1)) >= 0) n++;
      }
      lines += n;
      messages++;
      const seq = ++ws.getUserData().seq;
      ws.send(`{"accepted":${n},"duplicates":0,"rejected":[],"late":0,"seq":${seq}}`);
    },
  });
  app.listen('127.0.0.1', 0, (s) => {
    if (!s) throw new Error('uws sink could not listen');
    ready({ port: uWS.us_socket_local_port(s), build: uwsBuild });
  });
  onMessage('stop', () => finish({ lines, messages }));
} catch (e) {
  fail(e);
}
