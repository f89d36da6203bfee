// The per-address sign-in limit counts the client's address: X-Forwarded-For is believed
// only from a proxy listed in FLOORWATCH_TRUST_PROXY. Without it, a client cannot dodge the
// limit by writing a new X-Forwarded-For on each try; behind a trusted proxy, two clients
// are counted apart.
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.dispose()));
});

async function login(server: TestServer, user: string, forwardedFor: string): Promise<number> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': forwardedFor },
    body: JSON.stringify({ user, password: 'wrong-password' }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** 20 failed sign-ins (the per-address limit), each as another account so that limit is not hit. */
async function exhaust(server: TestServer, forwardedFor: (i: number) => string): Promise<void> {
  for (let i = 0; i < 20; i++)
    expect(await login(server, `nobody-${i}`, forwardedFor(i))).toBe(401);
}

describe('forwarded addresses', () => {
  it('are ignored from a client that is not a trusted proxy', async () => {
    const server = await startServer({ env: { FLOORWATCH_TRUST_PROXY: '10.9.9.9' } });
    servers.push(server);
    await exhaust(server, (i) => `203.0.113.${i + 1}`);
    // The 21st try from "another address" is the same client: refused.
    expect(await login(server, 'nobody-x', '198.51.100.77')).toBe(429);
  }, 120_000);

  it('from a trusted proxy, name the client the limit counts', async () => {
    const server = await startServer({ env: { FLOORWATCH_TRUST_PROXY: '127.0.0.1, ::1' } });
    servers.push(server);
    await exhaust(server, () => '203.0.113.5');
    expect(await login(server, 'nobody-x', '203.0.113.5')).toBe(429);
    // Another client behind the same proxy is not held to the first one's failures, and a
    // spoofed leftmost entry does not change who the proxy says the client is.
    expect(await login(server, 'nobody-y', '203.0.113.6')).toBe(401);
    expect(await login(server, 'nobody-z', '203.0.113.6, 203.0.113.5')).toBe(429);
  }, 120_000);
});
