import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies } from '../../ingest/src/core/access/forwarded.js';

describe('client address behind proxies', () => {
  const trusted = parseTrustedProxies(['127.0.0.1', '10.0.0.0/8', '::1']);

  it('believes X-Forwarded-For only from a trusted proxy, read from the right', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.9', trusted)).toBe('203.0.113.9');
    // The client wrote the leftmost entry itself; the proxies appended the rest.
    expect(clientAddress('127.0.0.1', '1.2.3.4, 203.0.113.9, 10.1.2.3', trusted)).toBe(
      '203.0.113.9',
    );
    expect(clientAddress('::ffff:10.0.0.7', '198.51.100.1', trusted)).toBe('198.51.100.1');
    expect(clientAddress('198.51.100.7', '203.0.113.9', trusted)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:198.51.100.7', undefined, trusted)).toBe('198.51.100.7');
    expect(clientAddress('127.0.0.1', 'not-an-ip', trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '10.0.0.1, 10.0.0.2', trusted)).toBe('10.0.0.1');
  });

  it('believes nobody when no proxy is listed', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.9', parseTrustedProxies([]))).toBe('127.0.0.1');
  });

  it('names an entry that is neither an address nor a range', () => {
    expect(() => parseTrustedProxies(['10.0.0.0/8', 'proxy.example'])).toThrow(
      /"proxy.example" is not an IP address or CIDR range/,
    );
  });
});
