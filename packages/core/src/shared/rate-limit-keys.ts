import { isIPv4, isIPv6 } from "node:net";

/** Providers that ignore dots in the mailbox name (and `googlemail.com` is `gmail.com`). */
const DOT_BLIND_DOMAINS: Record<string, string> = { "gmail.com": "gmail.com", "googlemail.com": "gmail.com" };

/**
 * The key an address is rate-limited under, never stored: lower-cased, without a `+tag`, and for
 * Gmail's domains without dots and with `googlemail.com` as `gmail.com`, so the variants that reach
 * one mailbox share one limit. The subscriber is stored under the address as typed.
 */
export function rateLimitAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at <= 0) return lower;
  let local = lower.slice(0, at);
  let domain = lower.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  const folded = DOT_BLIND_DOMAINS[domain];
  if (folded) {
    domain = folded;
    local = local.replace(/\./g, "") || local;
  }
  return `${local}@${domain}`;
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded (an embedded IPv4 tail as two groups). */
function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -v4[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? (text.split("::") as [string, string]) : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}

/**
 * The key an IP is rate-limited under: an IPv4 address as it is, an IPv6 address by its /64 (one
 * customer's network, whose interface ids are free to rotate), an IPv4-mapped IPv6 address as its
 * IPv4 address. Anything else is kept as given. The consent ledger still hashes the full address.
 */
export function rateLimitIp(ip: string): string {
  const trimmed = ip.trim();
  if (isIPv4(trimmed)) return trimmed;
  if (!isIPv6(trimmed)) return trimmed;
  const groups = ipv6Groups(trimmed);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join(".");
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}
