import * as z from "zod";
import { LANGUAGES, type Topic } from "../shared/vocabulary";
import { HttpUrl } from "./url";

/** EventBridge source of content events; the detail-type is the event type. */
export const CONTENT_SOURCE = "missions.content";
export const CONTENT_EVENT_TYPES = ["content.published", "content.updated", "content.unpublished"] as const;
export type ContentEventType = (typeof CONTENT_EVENT_TYPES)[number];
export const CONTENT_KINDS = ["seminar", "publication", "news"] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

const missionId = z.string().max(64).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Mission id must be kebab-case.");
const isoTime = z.iso.datetime({ offset: true, error: "Must be an ISO 8601 date-time with a time zone, e.g. 2026-12-03T09:00:00+01:00." });
const text = (max: number) => z.string().trim().min(1).max(max);

const base = {
  /** The CMS's id of the item: stable across versions. */
  id: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, "Item id may contain letters, digits and . _ : - only."),
  /** Increases with every change in the CMS; a lower version never replaces a higher one. */
  version: z.number().int().nonnegative(),
  missions: z.array(missionId).min(1, "An item belongs to at least one mission.").max(10),
  language: z.enum(LANGUAGES),
  title: text(300),
  summary: text(2000),
  /** Normalised by the URL rule (see url.ts): what is stored and sent is the encoded form. */
  url: HttpUrl,
  publishedAt: isoTime,
};

export const SeminarItem = z
  .object({
    ...base,
    kind: z.literal("seminar"),
    startsAt: isoTime,
    endsAt: isoTime,
    location: text(300),
    registrationUrl: HttpUrl.optional(),
  })
  .refine((s) => Date.parse(s.endsAt) >= Date.parse(s.startsAt), { message: "endsAt must not be before startsAt.", path: ["endsAt"] });

export const ArticleItem = z.object({ ...base, kind: z.enum(["publication", "news"]) });

/** One piece of CMS content, as carried by every content event. */
export const ContentItem = z.discriminatedUnion("kind", [SeminarItem, ArticleItem]);
export type ContentItem = z.infer<typeof ContentItem>;
export type Seminar = z.infer<typeof SeminarItem>;

/** The signed webhook's body; on the bus the type is the detail-type and the item the detail. */
export const ContentEvent = z.object({
  type: z.enum(CONTENT_EVENT_TYPES, { error: `type must be one of ${CONTENT_EVENT_TYPES.join(", ")}.` }),
  item: ContentItem,
});
export type ContentEvent = z.infer<typeof ContentEvent>;

/** The subscription topic an item feeds. */
export const topicOf = (kind: ContentKind): Topic => kind;

/** Whether an update changes what a person who was alerted needs to know: a seminar's time or place. */
export function materialChange(before: ContentItem, after: ContentItem): boolean {
  if (before.kind !== "seminar" || after.kind !== "seminar") return false;
  return before.startsAt !== after.startsAt || before.endsAt !== after.endsAt || before.location !== after.location;
}
