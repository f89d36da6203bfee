// The bare pipeline: what a team would write by hand to take the same traffic. uWS, a
// JSON.parse per line, rows gathered into chdb JSONEachRow inserts the way Floorwatch
// gathers them (an insert at `flushRows` rows or `flushMs` after the first, one at a time,
// the next growing meanwhile up to `maxRows`), each message acknowledged after the insert
// holding its rows committed. Nothing else: no validation, dedupe, dead letters, live
// engines or board feed. Same events table (views included) in its own data folder.
import { rmSync } from 'node:fs';
import type { WebSocket } from 'uWebSockets.js';
import { migrate } from '../../ingest/src/adapters/clickhouse/migrate.js';
import { openStore } from '../../ingest/src/adapters/clickhouse/store.js';
import { uWS, uwsBuild } from '../../ingest/src/adapters/uws.js';
import { tempDir } from '../lib/proc.js';
import { jsonEachRow } from './bare-rows.js';
import { config, fail, finish, onMessage, ready } from './ipc.js';

const c = config<{ flushRows: number; flushMs: number; maxRows: number }>();

interface Sock {
  seq: number;
  open: boolean;
}
interface Batch {
  rows: string[];
  acks: { ws: WebSocket<Sock>; seq: number; n: number }[];
}

async function main(): Promise<void> {
  const dataDir = tempDir('bare');
  const store = await openStore({
    storage: 'embedded',
    dataDir,
    clickhouse: { url: '', user: 'default', password: '', database: 'bare' },
  });
  await migrate(store);
  let cur: Batch = { rows: [], acks: [] };
  let inserting = false;
  let timer: NodeJS.Timeout | null = null;
  let committed = 0;

  const flush = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (inserting || cur.rows.length === 0) return;
    const b = cur;
    cur = { rows: [], acks: [] };
    inserting = true;
    try {
      await store.insertNdjson('events', Buffer.from(b.rows.join('\n') + '\n'));
      committed += b.rows.length;
      for (const a of b.acks)
        if (a.ws.getUserData().open)
          a.ws.cork(() =>
            a.ws.send(`{"accepted":${a.n},"duplicates":0,"rejected":[],"late":0,"seq":${a.seq}}`),
          );
    } finally {
      inserting = false;
    }
    if (cur.rows.length >= c.flushRows) void flush();
    else if (cur.rows.length) arm();
  };
  const arm = (): void => {
    timer ??= setTimeout(() => void flush(), c.flushMs);
  };

  const app = uWS.App();
  app.ws<Sock>('/ws/ingest', {
    maxPayloadLength: 16 * 1024 * 1024,
    maxBackpressure: 8 * 1024 * 1024,
    upgrade: (res, req, ctx) => {
      res.upgrade<Sock>(
        { seq: 0, open: true },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        ctx,
      );
    },
    message: (ws, msg) => {
      const now = Date.now();
      const text = Buffer.from(msg).toString();
      let n = 0;
      for (const line of text.split('\n')) {
        if (!line) continue;
        cur.rows.push(jsonEachRow(line, now));
        n++;
      }
      cur.acks.push({ ws, seq: ++ws.getUserData().seq, n });
      if (cur.rows.length >= c.flushRows && !inserting) void flush();
      else if (!inserting) arm();
      if (cur.rows.length > c.maxRows) throw new Error('bare pipeline: backlog past maxRows');
    },
    close: (ws) => {
      ws.getUserData().open = false;
    },
  });
  app.listen('127.0.0.1', 0, (s) => {
    if (!s) return fail(new Error('bare pipeline could not listen'));
    ready({ port: uWS.us_socket_local_port(s), build: uwsBuild, pid: process.pid });
  });
  onMessage('stop', () => {
    void store.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      finish({ committed });
    });
  });
}

main().catch(fail);
