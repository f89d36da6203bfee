// Which webhook targets Floorwatch may send to (no server-side request forgery): never this
// machine, the link-local range (169.254.0.0/16, the cloud metadata address), private,
// shared (CGNAT), multicast, broadcast or reserved addresses, in any spelling, unless an
// admin allowed that host or address (FLOORWATCH_WEBHOOK_ALLOW_HOSTS). The WHATWG URL
// parser already turns 0x7f000001, 2130706433, 017700000001 and 127.1 into 127.0.0.1, and
// ipaddr.js turns an IPv4-mapped IPv6 address back into its IPv4 address, so every
// spelling is judged as the address it reaches. Pure: resolving names is the adapter's job.
import ipaddr from 'ipaddr.js';

/** The range an address falls in when it is not a public unicast address, else null. */
export function internalRange(ip: string): string | null {
  if (!ipaddr.isValid(ip)) return 'not an IP address';
  const range = ipaddr.process(ip).range();
  return range === 'unicast' ? null : range;
}

/** The host of a URL as compared with the allow-list: no IPv6 brackets, no final dot, lower case. */
export function hostOf(u: URL): string {
  return u.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** The allow-list as given (host names or IP addresses), normalised for comparison. */
export function normaliseAllowHosts(list: readonly string[]): string[] {
  return list.map((h) => {
    const bare = h
      .trim()
      .replace(/^\[|\]$/g, '')
      .replace(/\.$/, '')
      .toLowerCase();
    return ipaddr.isValid(bare) ? ipaddr.process(bare).toString() : bare;
  });
}

/** Whether an admin allowed this host name, or (for a resolved or literal address) this address. */
export function isAllowed(hostOrIp: string, allow: readonly string[]): boolean {
  if (allow.includes(hostOrIp)) return true;
  return ipaddr.isValid(hostOrIp) && allow.includes(ipaddr.process(hostOrIp).toString());
}

const HINT = 'an admin may allow it in FLOORWATCH_WEBHOOK_ALLOW_HOSTS';

/** Why this resolved address may not be connected to for `host`, or null. */
export function addressProblem(host: string, ip: string, allow: readonly string[]): string | null {
  if (isAllowed(host, allow) || isAllowed(ip, allow)) return null;
  const range = internalRange(ip);
  if (range === null) return null;
  const shown = ipaddr.isValid(ip) ? ipaddr.process(ip).toString() : ip;
  return host === shown
    ? `${shown} is an internal address (${range}); ${HINT}`
    : `${host} resolves to the internal address ${shown} (${range}); ${HINT}`;
}

/**
 * Why a webhook URL may not be used, or null, before any name is resolved: the scheme, a
 * user name or password in it, `localhost` and internal-only names, and IP literals.
 */
export function webhookUrlProblem(raw: string, allow: readonly string[]): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return 'must be an http:// or https:// URL';
  if (u.username || u.password)
    return "must not carry a user name or password (the rule's secret signs each delivery)";
  const host = hostOf(u);
  if (isAllowed(host, allow)) return null;
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  )
    return `points at the internal host ${host}; ${HINT}`;
  if (ipaddr.isValid(host)) {
    const why = addressProblem(host, host, allow);
    return why === null ? null : `points at ${why}`;
  }
  return null;
}
