import { createHmac } from "node:crypto";
import { domainToASCII } from "node:url";

/** RFC 5321 limits: 64 octets for the local part, 254 for the whole path. */
const MAX_LOCAL = 64;
const MAX_TOTAL = 254;
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+$/u;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export type AddressResult = { ok: true; address: string } | { ok: false; reason: string };

/**
 * Normalises an email address: trims it, lower-cases and IDNA-encodes the domain (so `Åre.SE` and
 * `xn--re-xla.se` are the same address), keeps the local part as typed, and enforces length limits.
 */
export function normaliseAddress(input: string): AddressResult {
  const trimmed = input.trim();
  if (trimmed.length === 0) return { ok: false, reason: "Email address is empty." };
  if (/[\s<>()[\]\\,;:"]/.test(trimmed.replace(/^.*@/, "")) || /[\r\n\s]/.test(trimmed)) {
    return { ok: false, reason: "Email address contains characters that are not allowed." };
  }
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1) return { ok: false, reason: "Email address must look like name@example.org." };
  const local = trimmed.slice(0, at);
  const domainInput = trimmed.slice(at + 1).toLowerCase();
  if (Buffer.byteLength(local, "utf8") > MAX_LOCAL) return { ok: false, reason: "The part before @ is longer than 64 characters." };
  if (!LOCAL_PART.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return { ok: false, reason: "The part before @ is not a valid mailbox name." };
  }
  const domain = domainToASCII(domainInput);
  if (!domain) return { ok: false, reason: "The domain of the email address is not valid." };
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l)) || /^[0-9]+$/.test(labels.at(-1) ?? "")) {
    return { ok: false, reason: "The domain of the email address is not valid." };
  }
  const address = `${local}@${domain}`;
  if (Buffer.byteLength(address, "utf8") > MAX_TOTAL) return { ok: false, reason: "Email address is longer than 254 characters." };
  return { ok: true, address };
}

/** Keyed HMAC of a normalised address: the lookup and suppression key. Never reversible without the pepper. */
export function addressHmac(address: string, pepper: string): string {
  return createHmac("sha256", pepper).update(address.toLowerCase()).digest("hex");
}
