/** Who publishes the pages: the agency's name per language and its logo (from the AGENCY_* settings). */
export interface SiteIdentity {
  agencyName: { sv: string; en: string };
  logoUrl?: string;
}

/**
 * The agency's name in the page header when a stage names none: neutral on purpose, so a deploy that
 * forgot AGENCY_NAME shows no other agency's name.
 */
export const DEFAULT_AGENCY_NAME = { sv: "Myndigheten", en: "The agency" } as const;
