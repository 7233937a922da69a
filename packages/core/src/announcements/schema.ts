import * as z from "zod";
import { stockholmInstants } from "../shared/stockholm-time";
import { LANGUAGES, type Language } from "../shared/vocabulary";

/**
 * An announcement's lifecycle as staff see it. `draft` and `scheduled` live on the announcement
 * itself; once sending starts, the campaign (`announcement#<id>`) holds the truth: sending, paused,
 * cancelled or done.
 */
export const ANNOUNCEMENT_STATES = ["draft", "scheduled", "sending", "paused", "cancelled", "done"] as const;
export type AnnouncementState = (typeof ANNOUNCEMENT_STATES)[number];

/** What is stored on the announcement item; the states after `sending` are read from the campaign. */
export type StoredAnnouncementState = "draft" | "scheduled" | "sending" | "cancelled";

/** The longest title, in characters. */
export const MAX_TITLE = 200;
/** The longest markdown body per language, in characters. */
export const MAX_BODY = 20_000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;
const missionId = z.string().max(64, "Mission id is too long.").regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Mission id must be kebab-case.");

const title = z
  .string({ error: "A title is text." })
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, "The title is empty.")
      .max(MAX_TITLE, `The title is longer than ${MAX_TITLE} characters.`)
      .refine((s) => !CONTROL.test(s), "The title must be one line."),
  );
const body = z
  .string({ error: "The body is markdown text." })
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, "The body is empty.").max(MAX_BODY, `The body is longer than ${MAX_BODY} characters.`));
const label = z
  .string({ error: "A label is text." })
  .transform((s) => s.trim())
  .pipe(z.string().min(1, "The label is empty.").max(80, "The label is longer than 80 characters.").refine((s) => !CONTROL.test(s), "The label must be one line."));

/** Per language, each optional: an announcement may be in Swedish, English or both. */
const perLanguage = <T extends z.ZodType>(value: T, what: string) =>
  z.object({ sv: value.optional(), en: value.optional() }, { error: `${what} is an object with "sv" and/or "en".` }).strict();

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Whether a YYYY-MM-DD string names a real calendar day. */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 2000 && y <= 2999 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** An event the announcement is about: a day, optionally a time (Europe/Stockholm) and a place. */
const EventSchema = z
  .object(
    {
      date: z.string({ error: "The event date is YYYY-MM-DD." }).refine(isCalendarDate, "The event date must be a real day, YYYY-MM-DD."),
      time: z.string({ error: "The event time is HH:MM." }).regex(TIME, "The event time is HH:MM (24-hour, Stockholm time).").optional(),
      place: z
        .string({ error: "The place is text." })
        .transform((s) => s.trim())
        .pipe(z.string().min(1, "The place is empty.").max(200, "The place is longer than 200 characters.").refine((s) => !CONTROL.test(s), "The place must be one line."))
        .optional(),
    },
    { error: "event is an object: { date, time?, place? }." },
  )
  .strict()
  .superRefine((event, ctx) => {
    if (!event.time || !isCalendarDate(event.date)) return;
    const [y, mo, d] = event.date.split("-").map(Number) as [number, number, number];
    const [h, mi] = event.time.split(":").map(Number) as [number, number];
    if (stockholmInstants(y, mo, d, h, mi).length === 0) ctx.addIssue({ code: "custom", path: ["time"], message: "That time does not exist in Stockholm (the clocks skip it for summer time)." });
  });

/** A call to action: a button with a label per language and an https link. */
const CtaSchema = z
  .object(
    {
      label: perLanguage(label, "cta.label"),
      url: z
        .string({ error: "The link is an https URL." })
        .max(2000, "The link is longer than 2000 characters.")
        .refine((u) => /^https:\/\/[^\s/?#]+\.[^\s/?#]+([/?#][^\s]*)?$/i.test(u), "The link must be an https URL."),
    },
    { error: "cta is an object: { label: { sv?, en? }, url }." },
  )
  .strict();

const fields = {
  title: perLanguage(title, "title"),
  body: perLanguage(body, "body"),
  missions: z
    .array(missionId, { error: "missions is a list of mission ids." })
    .min(1, "Choose at least one mission.")
    .max(30, "Choose at most 30 missions.")
    .refine((ids) => new Set(ids).size === ids.length, "A mission is listed twice."),
  event: EventSchema.optional(),
  cta: CtaSchema.optional(),
};

type Fields = { title: Partial<Record<Language, string>>; body: Partial<Record<Language, string>>; cta?: { label: Partial<Record<Language, string>> } | undefined };

/** Each language has both a title and a body, or neither; at least one has both; the button has a label in each. */
function checkLanguages(input: Fields, ctx: z.RefinementCtx) {
  const languages = LANGUAGES.filter((l) => input.title[l] !== undefined || input.body[l] !== undefined);
  if (!languages.length) ctx.addIssue({ code: "custom", path: ["title"], message: 'Write the announcement in at least one language: title and body in "sv" and/or "en".' });
  for (const l of languages) {
    if (input.title[l] === undefined) ctx.addIssue({ code: "custom", path: ["title", l], message: `The ${l} version needs a title too.` });
    if (input.body[l] === undefined) ctx.addIssue({ code: "custom", path: ["body", l], message: `The ${l} version needs a body too.` });
    if (input.cta && input.cta.label[l] === undefined) ctx.addIssue({ code: "custom", path: ["cta", "label", l], message: `The button needs a label in ${l}, like the announcement.` });
  }
}

/** The body of `POST /api/staff/announcements` (and of `PUT …/{id}`, which replaces the content). */
export const AnnouncementInput = z.object(fields, { error: "The body is a JSON object." }).strict().superRefine(checkLanguages);

/** `PUT /api/staff/announcements/{id}`: the whole content again, with the version it was read at. */
export const AnnouncementEdit = z
  .object({ ...fields, version: z.number({ error: "version is the number you read." }).int().positive().optional() }, { error: "The body is a JSON object." })
  .strict()
  .superRefine(checkLanguages);

/** `POST /api/staff/announcements/preview`: an unsaved draft, missions optional, for a live preview. */
export const AnnouncementPreviewInput = z
  .object({ ...fields, missions: z.array(missionId, { error: "missions is a list of mission ids." }).max(30).optional() }, { error: "The body is a JSON object." })
  .strict()
  .superRefine(checkLanguages);

/** The content staff write: what the email is made from. */
export type AnnouncementContent = z.infer<typeof AnnouncementInput>;

/** `POST …/test`: at most ten addresses, and the languages to send (default: every language the announcement has). */
export const TestSendInput = z
  .object(
    {
      to: z.array(z.string({ error: "Each address is text." }).max(320, "An address is too long."), { error: "to is a list of addresses." }).min(1, "Name at least one address.").max(10, "At most 10 addresses."),
      languages: z.array(z.enum(LANGUAGES, { error: 'Languages are "sv" and "en".' })).min(1).max(2).optional(),
    },
    { error: 'The body is a JSON object: { "to": [addresses] }.' },
  )
  .strict();

/**
 * `POST …/send`: optional `at`, a wall-clock time in Europe/Stockholm, and `acknowledgeWarnings`,
 * which staff set once they have read the pre-send checks' warnings (without it a send with
 * warnings is refused, naming them).
 */
export const SendInput = z
  .object(
    {
      at: z.string({ error: "at is a time like 2026-12-01T09:00." }).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:00)?$/, "at is a Stockholm wall-clock time like 2026-12-01T09:00, without an offset.").optional(),
      acknowledgeWarnings: z.boolean({ error: "acknowledgeWarnings is true or false." }).optional(),
    },
    { error: 'The body is a JSON object: {} or { "at": "2026-12-01T09:00", "acknowledgeWarnings": true }.' },
  )
  .strict();

/** `POST …/approve`: an empty object, or `{ "decision": "refuse", "reason": "…" }` (the same as `POST …/refuse`). */
export const ApprovalInput = z
  .object(
    {
      decision: z.enum(["approve", "refuse"], { error: 'decision is "approve" or "refuse".' }).optional(),
      reason: z
        .string({ error: "reason is text." })
        .transform((s) => s.trim())
        .pipe(z.string().min(1, "Say why, in a few words.").max(500, "The reason is longer than 500 characters.").refine((s) => !CONTROL.test(s.replace(/\n/g, " ")), "The reason must be plain text."))
        .optional(),
    },
    { error: 'The body is a JSON object: {} to approve, or { "decision": "refuse", "reason": "…" }.' },
  )
  .strict()
  .superRefine((input, ctx) => {
    if (input.decision === "refuse" && input.reason === undefined) ctx.addIssue({ code: "custom", path: ["reason"], message: "A refusal needs a reason, so the author knows what to change." });
  });

/** Who did something, as the audit log names them. */
export interface Actor {
  sub: string;
  email?: string;
}

/** Why a send is paused: by a person, or by itself because of complaints or bounces. */
export interface PausedReason {
  code: "manual" | "complaint_rate" | "bounce_rate";
  message: string;
  at: string;
  by?: Actor;
  /** An automatic pause's figures: complaints or hard bounces, emails sent (both since the last resume), their rate and the limit it passed. */
  count?: number;
  sent?: number;
  rate?: number;
  limit?: number;
}

/** A publisher's approval of an announcement's content as it was; any edit voids it. */
export interface Approval {
  by: Actor;
  at: string;
  /** The announcement's version the approval was given at. */
  version: number;
}

/** A publisher's refusal, with the reason the author reads; the next edit clears it. */
export interface Refusal {
  by: Actor;
  at: string;
  reason: string;
}

/** An announcement as stored. */
export interface Announcement extends AnnouncementContent {
  id: string;
  state: StoredAnnouncementState;
  /** Who last wrote its content (the creator until someone edits it): an approval must come from someone else. */
  lastEditedBy?: Actor;
  approval?: Approval;
  refusal?: Refusal;
  /** The instant a scheduled send goes out (ISO, UTC) and the Stockholm wall time staff gave. */
  scheduledAt?: string;
  scheduledFor?: string;
  createdBy: Actor;
  createdAt: string;
  updatedAt: string;
  /** Rises with every change; a write names the version it read (optimistic concurrency). */
  version: number;
}

/** The languages an announcement is written in. */
export const languagesOf = (content: Pick<AnnouncementContent, "title">): Language[] => LANGUAGES.filter((l) => content.title[l] !== undefined);

/** The campaign key of an announcement (a contract: `announcement#<id>`). */
export const announcementCampaignKey = (id: string) => `announcement#${id}`;

/** Announcement ids are ULIDs. */
export const ANNOUNCEMENT_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
