// CLICKHOUSE_URL selects the server back end: the same @clickhouse/client, over HTTP, with
// the given URL, user and database. A loopback HTTP listener records what the client sends.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, serverClientOptions } from '../../ingest/src/adapters/clickhouse/store.js';
import { readConfig } from '../../ingest/src/config.js';
import {
  EVENT_COLUMNS,
  eventBlock,
  insertEventBlock,
  rowOf,
} from '../../ingest/src/pipeline/native-rows.js';

interface Seen {
  url: string;
  auth: string | undefined;
  user: string | undefined;
  body: string;
  raw: Buffer;
}
const seen: Seen[] = [];
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      seen.push({
        url: req.url ?? '',
        auth: req.headers.authorization,
        user: req.headers['x-clickhouse-user'] as string | undefined,
        body: raw.toString(),
        raw,
      });
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-ClickHouse-Summary': '{}' });
      res.end('');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('CLICKHOUSE_URL configuration', () => {
  it('reads URL, user, password and database from the environment', () => {
    const cfg = readConfig({
      CLICKHOUSE_URL: 'http://ch.example:8123',
      CLICKHOUSE_USER: 'fw',
      CLICKHOUSE_PASSWORD: 'pw',
      CLICKHOUSE_DATABASE: 'fw_prod',
    });
    expect(cfg.storage).toBe('server');
    expect(cfg.clickhouse).toEqual({
      url: 'http://ch.example:8123',
      user: 'fw',
      password: 'pw',
      database: 'fw_prod',
    });
    expect(serverClientOptions(cfg.clickhouse)).toMatchObject({
      url: 'http://ch.example:8123',
      username: 'fw',
      password: 'pw',
      database: 'fw_prod',
    });
    expect(readConfig({}).storage).toBe('embedded');
  });

  it('builds an HTTP client that sends to that URL as that user, in that database', async () => {
    const cfg = readConfig({
      CLICKHOUSE_URL: `http://127.0.0.1:${port}`,
      CLICKHOUSE_USER: 'fw_user',
      CLICKHOUSE_PASSWORD: 'secret',
      CLICKHOUSE_DATABASE: 'fw_db',
    });
    const store = await openStore(cfg);
    expect(store.kind).toBe('server');
    expect(store.database).toBe('fw_db');
    await store.client.command({ query: 'SELECT 1' });
    await store.insertNdjson('dead_letters', Buffer.from('{"site":"s"}\n'));
    const block = eventBlock([
      rowOf(
        {
          id: 'e1',
          ts: Date.parse('2026-11-24T01:02:03.004Z'),
          type: 'agent.logout',
          site: 's',
          agent: 'a1',
        } as never,
        'p',
      ),
    ]);
    await insertEventBlock(store, block, 'token-1');
    await store.close();
    const expectedAuth = `Basic ${Buffer.from('fw_user:secret').toString('base64')}`;
    // The first request creates the database (through the default database).
    expect(seen[0]?.body).toContain('CREATE DATABASE IF NOT EXISTS fw_db');
    const cmd = seen.find((s) => s.body.includes('SELECT 1'));
    expect(cmd?.url).toMatch(/[?&]database=fw_db\b/);
    expect(cmd?.auth ?? `Basic ${cmd?.user}`).toBe(expectedAuth);
    const sql = (s: Seen): string => decodeURIComponent(s.url.replace(/\+/g, ' '));
    const dead = seen.find((s) => sql(s).includes('INSERT INTO fw_db.dead_letters'));
    expect(sql(dead as Seen)).toContain('FORMAT JSONEachRow');
    expect(dead?.body).toBe('{"site":"s"}\n');
    // Events go in as a Native block with their columns named, bytes as given, with the dedupe token.
    const events = seen.find((s) => sql(s).includes('INSERT INTO fw_db.events'));
    expect(sql(events as Seen)).toContain(
      `INSERT INTO fw_db.events (${EVENT_COLUMNS.join(', ')}) FORMAT Native`,
    );
    expect(sql(events as Seen)).toContain('insert_deduplication_token=token-1');
    expect(events?.raw.equals(block)).toBe(true);
  });
});
