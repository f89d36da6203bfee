// The client's address behind trusted reverse proxies. X-Forwarded-For is written by every
// hop, and by the client itself for the leftmost entries, so it is believed only when the
// connection comes from a proxy the operator listed (FLOORWATCH_TRUST_PROXY), and then read
// from the right: each trusted proxy is skipped, and the first address that is not one is
// the client. Without a trusted proxy the socket's address stands, so a client cannot pick
// the address that the per-address sign-in limit counts.
import ipaddr from 'ipaddr.js';

export type TrustedProxies = readonly [ipaddr.IPv4 | ipaddr.IPv6, number][];

/** Parses `10.0.0.1, 10.1.0.0/16, ::1`; throws with the entry that is neither an address nor a CIDR. */
export function parseTrustedProxies(list: readonly string[]): TrustedProxies {
  return list.map((entry) => {
    const e = entry.trim();
    try {
      if (e.includes('/')) {
        return ipaddr.parseCIDR(e);
      }
      const addr = ipaddr.process(e);
      return [addr, addr.kind() === 'ipv4' ? 32 : 128] as const;
    } catch {
      throw new Error(`"${e}" is not an IP address or CIDR range like 10.0.0.0/8`);
    }
  }) as unknown as TrustedProxies;
}

function isTrusted(ip: string, trusted: TrustedProxies): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const a = ipaddr.process(ip);
  return trusted.some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits));
}

/** An address as a person reads it: IPv4-mapped IPv6 shown as IPv4. */
function plain(ip: string): string {
  return ipaddr.isValid(ip) ? ipaddr.process(ip).toString() : ip;
}

/** The client's address: the socket's, or (from a trusted proxy) the rightmost untrusted X-Forwarded-For hop. */
export function clientAddress(
  socketAddress: string,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string {
  if (trusted.length === 0 || !forwardedFor || !isTrusted(socketAddress, trusted))
    return plain(socketAddress);
  const hops = forwardedFor
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!ipaddr.isValid(hop)) return plain(socketAddress);
    if (!isTrusted(hop, trusted)) return plain(hop);
  }
  // Every hop is a trusted proxy: the leftmost is as close to the client as is known.
  return plain(hops[0] ?? socketAddress);
}
