/** The words every part of Mission Mail shares: languages, subscription topics and cadences, campaign kinds. */

export const LANGUAGES = ["sv", "en"] as const;
export const TOPICS = ["seminar", "publication", "news"] as const;
export const CADENCES = ["immediate", "daily", "weekly", "monthly"] as const;

export type Language = (typeof LANGUAGES)[number];
export type Topic = (typeof TOPICS)[number];
export type Cadence = (typeof CADENCES)[number];

/** What a campaign is: its kind is part of its key and is shown in a subscriber's delivery history. */
export type CampaignKind = "digest" | "alert" | "alert-bundle" | "announcement" | "mission-retired";
