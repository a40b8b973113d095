/**
 * Where webhooks may go. In production a URL must be https:// and every address its host resolves to
 * must be public: not loopback, private (RFC 1918, unique local), link-local (which holds the cloud
 * metadata address 169.254.169.254), CGNAT, multicast or reserved, unless WEBHOOKS_ALLOW_PRIVATE_URLS=true.
 * In development loopback and http:// are allowed (a receiver on the same machine), other private
 * addresses are not. The check runs at delivery time, after DNS, and the connection goes to the address
 * that was checked (`lookup` below), so a name that changes its answer between the check and the
 * connection (DNS rebinding) cannot reach an address that was refused.
 */
import dns from "node:dns";
import net from "node:net";

export interface UrlPolicy {
  production: boolean;
  allowPrivate: boolean;
}

export class BlockedUrlError extends Error {}

const V4_BLOCKED: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
}

function inV4(ip: string, [base, bits]: [string, number]): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (v4ToInt(ip) & mask) === (v4ToInt(base) & mask);
}

export function isLoopback(address: string): boolean {
  if (net.isIPv4(address)) return inV4(address, ["127.0.0.0", 8]);
  const a = address.toLowerCase();
  return a === "::1" || (a.startsWith("::ffff:") && net.isIPv4(a.slice(7)) && isLoopback(a.slice(7)));
}

/** True for an address a webhook must not reach unless private addresses are allowed. */
export function isNonPublicAddress(address: string): boolean {
  if (net.isIPv4(address)) return V4_BLOCKED.some((range) => inV4(address, range));
  const a = address.toLowerCase();
  if (a.startsWith("::ffff:")) {
    const mapped = a.slice(7);
    return net.isIPv4(mapped) ? isNonPublicAddress(mapped) : true;
  }
  if (a === "::" || a === "::1") return true;
  const first = Number.parseInt(a.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xff00) === 0xff00 || // multicast
    a.startsWith("64:ff9b:") || // NAT64 can point at anything
    a.startsWith("2001:db8:") // documentation
  );
}

/** Refuses a URL the policy forbids before any DNS (scheme); throws BlockedUrlError with the reason. */
export function checkUrlScheme(url: URL, policy: UrlPolicy): void {
  if (url.username || url.password) throw new BlockedUrlError("the URL contains credentials");
  if (url.protocol === "https:") return;
  if (url.protocol !== "http:") throw new BlockedUrlError(`unsupported scheme ${url.protocol}`);
  if (policy.production && !policy.allowPrivate) throw new BlockedUrlError("webhook URLs must be https:// in production");
}

/** Whether one resolved address may be reached under the policy. */
export function addressAllowed(address: string, policy: UrlPolicy): boolean {
  if (policy.allowPrivate) return true;
  if (!isNonPublicAddress(address)) return true;
  return !policy.production && isLoopback(address);
}

/**
 * A `lookup` for http.request: resolves every address, refuses the host when any of them is not
 * allowed, and hands the socket the first one, so the connection goes where the check looked.
 */
export function guardedLookup(policy: UrlPolicy): net.LookupFunction {
  return (hostname, options, callback) => {
    const literal = hostname.replace(/^\[|\]$/g, "");
    const done = (addresses: dns.LookupAddress[]) => {
      const refused = addresses.find((a) => !addressAllowed(a.address, policy));
      if (!addresses.length) return callback(new BlockedUrlError(`${hostname} did not resolve`), "", 4);
      if (refused) return callback(new BlockedUrlError(`${hostname} resolves to ${refused.address}, a non-public address`), "", 4);
      // Every address was checked, so all of them may be tried (Node 20 asks for all: autoSelectFamily).
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      const first = addresses[0] as dns.LookupAddress;
      callback(null, first.address, first.family);
    };
    if (net.isIP(literal)) return done([{ address: literal, family: net.isIPv6(literal) ? 6 : 4 }]);
    dns.lookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      done(addresses);
    });
  };
}
