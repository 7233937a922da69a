import { issueToken } from "../shared/tokens";
import type { CompiledVariant } from "../emails";
import { escapeHtml } from "../shared/escape";

/** The per-recipient values of a list email: links carrying the subscriber's signed manage token. */
export interface RecipientLinks {
  /** The site's base URL, for the footer's links and the digest's archive links. */
  siteUrl: string;
  preferencesUrl: string;
  unsubscribeUrl: string;
  headers: Record<string, string>;
}

/**
 * Links and RFC 8058 headers for one recipient of a list email. One manage token (HMAC-signed, one
 * year, renewed with every email) serves the preference centre and one-click unsubscribe: a POST to
 * the https URL unsubscribes; the mailto is for clients that only do mail (SES receiving). A campaign
 * email's unsubscribe URL also names its campaign (`c`, the campaign tag), so the campaign can count
 * the unsubscribes it caused; the token alone still unsubscribes.
 */
export function recipientLinks(base: string, tokenKeys: string[], subscriberId: string, nowMs: number, unsubscribeMailto: string, campaignTag?: string): RecipientLinks {
  const token = issueToken(tokenKeys, "manage", subscriberId, nowMs);
  const unsubscribeUrl = `${base}/unsubscribe?token=${token}${campaignTag ? `&c=${campaignTag}` : ""}`;
  return {
    siteUrl: base,
    preferencesUrl: `${base}/preferences?token=${token}`,
    unsubscribeUrl,
    headers: {
      "List-Unsubscribe": `<${unsubscribeUrl}>, <mailto:${unsubscribeMailto}?subject=unsubscribe%20${token}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

const TEXT_SUFFIX = "_text";

/**
 * The same variant as a SendBulkEmail template. SES fills one set of values into every part without
 * escaping, so the text part's placeholders are renamed to take unescaped twins of the HTML values.
 */
export function bulkTemplate(variant: CompiledVariant): CompiledVariant {
  return { ...variant, text: variant.text.replace(/\{\{([A-Za-z]+)\}\}/g, `{{$1${TEXT_SUFFIX}}}`) };
}

/** A recipient's replacement data for `bulkTemplate`: HTML-escaped values, plus raw twins for the text part. */
export function bulkData(values: Record<string, string>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const key in values) {
    const value = values[key]!;
    data[key] = escapeHtml(value);
    data[key + TEXT_SUFFIX] = value;
  }
  return data;
}
