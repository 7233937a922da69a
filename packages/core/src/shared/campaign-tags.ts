/** The tags every campaign email carries, so SES's feedback events can be traced back to it. */

/** SES tag values allow only [A-Za-z0-9_-]. */
export const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256);

/**
 * The campaign key as an SES tag: base64url uses exactly the characters tags allow, so SES feedback
 * events can name the campaign they belong to.
 */
export const campaignTag = (key: string) => Buffer.from(key, "utf8").toString("base64url");

/** The campaign key back from its tag (undefined if the tag is not one of ours). */
export function campaignFromTag(tag: string | undefined): string | undefined {
  if (!tag || !/^[A-Za-z0-9_-]{1,256}$/.test(tag)) return undefined;
  const key = Buffer.from(tag, "base64url").toString("utf8");
  return campaignTag(key) === tag && /^[a-z-]+#/.test(key) ? key : undefined;
}
