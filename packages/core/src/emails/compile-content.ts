import { checkUrl, type ContentItem, type ItemLeftOut, type Seminar } from "../content";
import { LANGUAGES, type Language } from "../shared/vocabulary";
import type { CompiledVariant } from "./compiled-variant";
import { assembleVariant, type Fill, type Skeleton, type SkeletonPart, type VariantParts, type VariantRecipe } from "./assemble";
import { CONTENT_STRINGS, CONTENT_TEMPLATE_SOURCES, type ContentTemplate } from "./content-template-sources";
import { escapeHtml, headerSafe } from "../shared/escape";
import { formatDate, formatDay, formatMonth, formatSeminarTime, formatTime } from "./format-date";
import { renderMarkdown } from "./markdown";
import { stockholmInstants } from "../shared/stockholm-time";

/**
 * Compiles content emails (digests, alert bundles, single alerts) with MJML, once per distinct variant
 * (template × language × content), never per recipient; digests can instead be built item by item
 * (`digestAssembler`: MJML once per skeleton, each item's block once per language, see assemble.ts). Only planners use this module; MJML is loaded
 * on first use, so importing the module does not load it, and the sender never needs it.
 *
 * The templates (generated into `content-template-sources.ts` by `npm run templates`) have `((slots))`
 * for compile-time values, with `((#name))…((/name))` repeated for each element of a list, shown once for
 * a value that is present, and omitted for one that is absent or empty; `((^name))…((/name))` is shown
 * only when it is absent. Every value put into a slot is treated as untrusted: HTML-escaped in the HTML
 * part, plain in the text part, with braces neutralised in both, so that SES's template substitution
 * cannot see a `{{` from the CMS. The only `{{placeholders}}` left are the recipient ones.
 */

export type ContentEmailSpec =
  | { template: "digest"; cadence: "daily" | "weekly" | "monthly"; period: string /* "2026-12-02", "2026-W48" or "2026-12" */; seminars: ContentItem[]; publications: ContentItem[]; missions?: MissionName[] }
  | { template: "alert-bundle"; seminars: ContentItem[]; publications: ContentItem[]; missions?: MissionName[] }
  | { template: "seminar-alert"; item: Seminar }
  | { template: "publication-alert"; item: ContentItem }
  | { template: "seminar-changed"; item: Seminar; previous: Seminar }
  /** A staff announcement in `contentLanguage`, for readers of `language` (a note says so when they differ). */
  | { template: "announcement"; content: AnnouncementEmailContent; contentLanguage: Language; missionNames: string[]; test?: boolean };

/** A mission's names, for the links to its archive when a digest section lists only part of its items. */
export interface MissionName {
  id: string;
  name: Record<Language, string>;
}

/** What an announcement email is made from: the content staff wrote, in one or both languages. */
export interface AnnouncementEmailContent {
  title: Partial<Record<Language, string>>;
  /** Markdown. */
  body: Partial<Record<Language, string>>;
  /** A day (YYYY-MM-DD), optionally a Stockholm time (HH:MM) and a place. */
  event?: { date: string; time?: string | undefined; place?: string | undefined } | undefined;
  cta?: { label: Partial<Record<Language, string>>; url: string } | undefined;
}

/**
 * The placeholders a compiled content email keeps, to be filled at send time: the recipient's links,
 * and the site's base URL (`siteUrl`), which the footer's and the archive links start with.
 */
export const RECIPIENT_PLACEHOLDERS = ["preferencesUrl", "unsubscribeUrl", "siteUrl"] as const;

/**
 * At most this many items per digest section: a long digest stays readable, and the rest are counted
 * in a "… and N more on the website" line that links to the archive of each mission they are from.
 */
export const DIGEST_SECTION_LIMIT = 10;
/** Summaries in a digest are shortened to about this many characters. */
export const DIGEST_SUMMARY_LENGTH = 280;
/**
 * A digest's compiled HTML stays under this many bytes, listing fewer items if need be. Gmail clips
 * messages over 102 KB; the margin leaves room for the recipient links and for click-tracking links.
 */
export const DIGEST_HTML_BUDGET = 90 * 1024;

/** Compiles one content email variant with MJML; per-recipient placeholders {{preferencesUrl}} and {{unsubscribeUrl}} are left in. */
export async function compileContentEmail(spec: ContentEmailSpec, language: Language): Promise<CompiledVariant> {
  switch (spec.template) {
    case "digest":
    case "alert-bundle":
      return compileList(spec, language);
    case "seminar-alert": {
      const item = spec.item;
      const values = seminarValues(item, language);
      const model = { ...values, summary: item.summary, preview: `${values.title} – ${values.when}` };
      return compile("seminar-alert", language, t(language, "seminar-alert.subject", subjectValues(item, language)), model, spec.template);
    }
    case "publication-alert": {
      const item = spec.item;
      const kind = item.kind === "news" ? "news" : "publication";
      const values = itemValues(item, language);
      const model = { ...values, summary: item.summary, label: t(language, `publication-alert.label.${kind}`), preview: values.title };
      return compile("publication-alert", language, t(language, `publication-alert.subject.${kind}`, subjectValues(item, language)), model, spec.template);
    }
    case "seminar-changed": {
      const { item, previous } = spec;
      const now = seminarValues(item, language);
      const before = seminarValues(previous, language);
      const timeChanged = now.when !== before.when;
      const placeChanged = now.location !== before.location;
      const intro = timeChanged && !placeChanged ? "time" : placeChanged && !timeChanged ? "location" : "both";
      const model = {
        ...now,
        intro: t(language, `seminar-changed.intro.${intro}`),
        preview: `${t(language, `seminar-changed.intro.${intro}`)} ${now.title} – ${now.when}`,
        whenBefore: timeChanged ? before.when : undefined,
        locationBefore: placeChanged ? before.location : undefined,
      };
      return compile("seminar-changed", language, t(language, "seminar-changed.subject", subjectValues(item, language)), model, spec.template);
    }
    case "announcement":
      return compileAnnouncement(spec, language);
  }
}

/** An announcement's preview text (the inbox's line after the subject) is its body's start, about this long. */
const ANNOUNCEMENT_PREVIEW_LENGTH = 140;

/** An announcement's HTML must stay under Gmail's 102 KB clip, with room for the recipient links. */
export const ANNOUNCEMENT_HTML_LIMIT = 100 * 1024;

async function compileAnnouncement(spec: Extract<ContentEmailSpec, { template: "announcement" }>, language: Language): Promise<CompiledVariant> {
  const { content, contentLanguage } = spec;
  const title = content.title[contentLanguage];
  const body = content.body[contentLanguage];
  if (title === undefined || body === undefined) throw new Error(`Announcement email: there is no ${contentLanguage} version to send`);
  const markdown = renderMarkdown(body);
  const label = content.cta?.label[contentLanguage];
  const model: Scope = {
    title: oneLine(title),
    contentLanguage,
    body: new Markup(markdown.html, markdown.text),
    missionNames: spec.missionNames.map(oneLine).join(" · "),
    note: contentLanguage === language ? undefined : t(language, `announcement.only-in.${contentLanguage}`),
    event: content.event ? { when: formatEventTime(content.event, language), place: content.event.place } : undefined,
    cta: content.cta && label ? { label, url: httpsUrl(content.cta.url) } : undefined,
    test: spec.test ? {} : undefined,
    preview: shorten(oneLine(markdown.text), ANNOUNCEMENT_PREVIEW_LENGTH),
  };
  const subject = t(language, spec.test ? "announcement.test-subject" : "announcement.subject", { title: oneLine(title) });
  const variant = await compile("announcement", language, subject, model, spec.template);
  const bytes = Buffer.byteLength(variant.html);
  if (bytes > ANNOUNCEMENT_HTML_LIMIT) throw new Error(`Announcement email: the ${language} HTML is ${bytes} bytes, over ${ANNOUNCEMENT_HTML_LIMIT}; shorten the body`);
  return variant;
}

/** An event day, and time if given, as Stockholm wall time: "tisdag 1 december 2026 kl. 09.00" / "Tuesday 1 December 2026, 09:00". */
function formatEventTime(event: NonNullable<AnnouncementEmailContent["event"]>, language: Language): string {
  const [y, m, d] = event.date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = event.time ? (event.time.split(":").map(Number) as [number, number]) : [12, 0];
  const instant = stockholmInstants(y, m, d, hour, minute)[0];
  if (instant === undefined) throw new Error(`Announcement email: ${event.date} ${event.time ?? ""} is not a Stockholm time`);
  const iso = new Date(instant).toISOString();
  if (!event.time) return formatDate(iso, language);
  return language === "sv" ? `${formatDate(iso, language)} kl. ${formatTime(iso, language)}` : `${formatDate(iso, language)}, ${formatTime(iso, language)}`;
}

/** The schema admits only https links for a button; refused again here, braces percent-encoded. */
function httpsUrl(url: string): string {
  if (!/^https:\/\/[^\s]+$/i.test(url)) throw new Error("Announcement email: the button's link is not https");
  return url.replace(/\{/g, "%7B").replace(/\}/g, "%7D");
}

/** A list email's model before MJML: everything compileList and the digest assembler share. */
interface ListModel {
  subject: string;
  heading: string;
  intro: string;
  preview: string;
  seminars: ContentItem[];
  publications: ContentItem[];
  seminarEntries: Scope[];
  publicationEntries: Scope[];
  /** The section's values when `shown` of its entries are listed (undefined: no such section). */
  section: (entries: Scope[], all: ContentItem[], shown: number) => Scope | undefined;
}

function listModel(spec: Extract<ContentEmailSpec, { seminars: ContentItem[] }>, language: Language): ListModel {
  const seminars = spec.seminars.map((item) => {
    if (item.kind !== "seminar") throw new Error(`Content email: "${item.id}" is a ${item.kind}, not a seminar, but is listed under seminars`);
    return item;
  });
  seminars.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const publications = [...spec.publications].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
  const total = seminars.length + publications.length;
  if (total === 0) throw new Error(`Content email: a ${spec.template} needs at least one item`);

  let subject: string;
  let heading: string;
  let intro: string;
  if (spec.template === "digest") {
    subject = t(language, `digest.${spec.cadence}.subject`, periodValues(spec.cadence, spec.period, language));
    heading = t(language, `digest.${spec.cadence}.heading`);
    intro = t(language, "digest.intro");
  } else {
    subject = t(language, total === 1 ? "alert-bundle.subject.one" : "alert-bundle.subject.other", { count: String(total) });
    heading = t(language, "alert-bundle.heading");
    intro = t(language, "alert-bundle.intro");
  }

  const preview = countsText([...seminars, ...publications], language);
  const names = new Map((spec.missions ?? []).map((m) => [m.id, m.name[language]]));
  // The archives of the missions that the items left out of a section belong to, in order of appearance.
  const archives = (left: ContentItem[]): Scope[] => {
    const ids = [...new Set(left.flatMap((i) => i.missions))];
    return ids.map((id, i) => ({ name: names.get(id) ?? id, path: archivePath(id, language), separator: i === 0 ? "" : ", " }));
  };
  const section = (items: Scope[], all: ContentItem[], shown: number) =>
    items.length
      ? {
          count: String(items.length),
          items: items.slice(0, shown),
          more: items.length > shown ? { count: String(items.length - shown), archives: archives(all.slice(shown)) } : undefined,
        }
      : undefined;
  const seminarEntries: Scope[] = seminars.map((s) => seminarValues(s, language));
  const publicationEntries: Scope[] = publications.map((p) => ({
    ...itemValues(p, language),
    kind: t(language, `content.kind.${p.kind === "news" ? "news" : "publication"}`),
    summary: shorten(oneLine(p.summary), DIGEST_SUMMARY_LENGTH),
  }));
  return { subject, heading, intro, preview, seminars, publications, seminarEntries, publicationEntries, section };
}

/**
 * List up to the section limit; if the HTML is still too large (long titles, summaries and URLs),
 * list fewer items, in proportion to the excess, until it fits. `make` builds the email for the
 * numbers of items shown.
 */
async function withinBudget<T>(what: string, model: ListModel, make: (shownSeminars: number, shownPublications: number) => Promise<{ result: T; bytes: number }>): Promise<T> {
  let shownSeminars = Math.min(model.seminarEntries.length, DIGEST_SECTION_LIMIT);
  let shownPublications = Math.min(model.publicationEntries.length, DIGEST_SECTION_LIMIT);
  for (;;) {
    const { result, bytes } = await make(shownSeminars, shownPublications);
    if (bytes <= DIGEST_HTML_BUDGET) return result;
    if (shownSeminars <= 1 && shownPublications <= 1) throw new Error(`Content email: a ${what} with one item per section is still ${bytes} bytes`);
    const factor = (DIGEST_HTML_BUDGET / bytes) * 0.9;
    shownSeminars = Math.min(shownSeminars, Math.max(1, Math.floor(shownSeminars * factor)));
    shownPublications = Math.min(shownPublications, Math.max(1, Math.floor(shownPublications * factor)));
  }
}

async function compileList(spec: Extract<ContentEmailSpec, { seminars: ContentItem[] }>, language: Language): Promise<CompiledVariant> {
  const m = listModel(spec, language);
  return withinBudget(spec.template, m, async (shownSeminars, shownPublications) => {
    const model = {
      heading: m.heading,
      intro: m.intro,
      preview: m.preview,
      seminars: m.section(m.seminarEntries, m.seminars, shownSeminars),
      publications: m.section(m.publicationEntries, m.publications, shownPublications),
    };
    const variant = await compile("digest", language, m.subject, model, spec.template);
    return { result: variant, bytes: Buffer.byteLength(variant.html) };
  });
}

// ---------------------------------------------------------------------------------------------------
// Digests item by item: skeletons compiled once per run, item blocks rendered once per language.

/** The list sections of the digest template, each with its repeated `items` and its `more` line. */
const LIST_SECTIONS = ["seminars", "publications"] as const;

/** What a digest assembler was asked to make: the campaign's cadence, period and mission names. */
export type DigestAssemblySpec = Pick<Extract<ContentEmailSpec, { template: "digest" }>, "cadence" | "period" | "missions">;

/** Builds digest variants as recipes over shared parts; see `digestAssembler`. */
export interface DigestAssembler {
  /** One variant's recipe and subject, its items as compileContentEmail would list them (same order, limits and byte budget). */
  variant(language: Language, seminars: ContentItem[], publications: ContentItem[]): Promise<{ subject: string; recipe: VariantRecipe }>;
  /** Every skeleton and block made so far. */
  parts(): VariantParts;
  /** MJML compilations so far: one per skeleton. */
  readonly compilations: number;
}

/**
 * A digest assembler for one campaign: MJML runs once per skeleton (language × which sections the
 * digest has), with holes for the summary counts, the preheader, each section's items and its "more"
 * line; each item's block (HTML and text) is rendered once per language. Assembling a recipe with
 * `assembleVariant` gives exactly the email `compileContentEmail` gives for the same items.
 */
export function digestAssembler(spec: DigestAssemblySpec): DigestAssembler {
  const skeletons = new Map<string, Promise<Skeleton>>();
  const made: VariantParts = { skeletons: {}, blocks: {} };
  let compilations = 0;
  const skeletonOf = (language: Language, subject: string, m: ListModel, sections: Record<(typeof LIST_SECTIONS)[number], boolean>) => {
    const id = `${language}|${LIST_SECTIONS.filter((s) => sections[s]).join("+")}`;
    let skeleton = skeletons.get(id);
    if (!skeleton) {
      compilations += 1;
      skeleton = compileSkeleton(language, subject, m, sections).then((s) => (made.skeletons[id] = s));
      skeletons.set(id, skeleton);
    }
    return { id, skeleton };
  };
  const blockOf = (language: Language, section: string, item: ContentItem, entry: Scope, root: Scope) => {
    const id = `${language}|${section}|${item.id}@${item.version}`;
    if (!made.blocks[id]) {
      const source = CONTENT_TEMPLATE_SOURCES.digest[language];
      made.blocks[id] = {
        html: renderNodes(sectionBody(source.mjml, section, "items"), [root, entry], htmlValue),
        text: renderNodes(sectionBody(source.text, section, "items"), [root, entry], textValue),
      };
    }
    return id;
  };
  return {
    get compilations() {
      return compilations;
    },
    parts: () => made,
    async variant(language, seminarItems, publicationItems) {
      const m = listModel({ template: "digest", ...spec, seminars: seminarItems, publications: publicationItems }, language);
      const subject = headerSafe(textValue(m.subject));
      const root: Scope = { heading: m.heading, intro: m.intro, preview: m.preview, subject };
      const { id, skeleton } = skeletonOf(language, m.subject, m, { seminars: m.seminarEntries.length > 0, publications: m.publicationEntries.length > 0 });
      const compiled = await skeleton;
      const source = CONTENT_TEMPLATE_SOURCES.digest[language];
      const recipe = await withinBudget("digest", m, async (shownSeminars, shownPublications) => {
        const fills: Record<string, Fill[]> = { preview: [{ html: htmlValue(m.preview), text: textValue(m.preview) }] };
        const lists = { seminars: [m.seminarEntries, m.seminars, shownSeminars], publications: [m.publicationEntries, m.publications, shownPublications] } as const;
        for (const name of LIST_SECTIONS) {
          const [entries, items, shown] = lists[name];
          const section = m.section(entries, items, shown);
          if (!section) continue;
          const scopes = [root, section];
          fills[`${name}.count`] = [{ html: htmlValue(section.count as string), text: textValue(section.count as string) }];
          fills[`${name}.items`] = items.slice(0, shown).map((item, i) => ({ block: blockOf(language, name, item, entries[i]!, root) }));
          const more = section.more as Scope | undefined;
          fills[`${name}.more`] = more
            ? [{ html: renderNodes(sectionBody(source.mjml, name, "more"), [...scopes, more], htmlValue), text: renderNodes(sectionBody(source.text, name, "more"), [...scopes, more], textValue) }]
            : [];
        }
        const recipe: VariantRecipe = { skeleton: id, fills };
        const assembled = assembleVariant(recipe, { skeletons: { [id]: compiled }, blocks: made.blocks });
        assertOnlyRecipientPlaceholders(assembled, "digest");
        return { result: recipe, bytes: Buffer.byteLength(assembled.html) };
      });
      return { subject, recipe };
    },
  };
}

/** The token that stands for a hole in a skeleton, through slot rendering and MJML. */
const holeToken = (name: string) => `MMHOLE7Q${name}Q7MMEND`;
const HOLE_TOKEN = /MMHOLE7Q([a-z.]+)Q7MMEND/g;

/** A value that renders as its hole's token: for a slot in place of its text, for a section in place of its body. */
class Hole {
  constructor(readonly name: string) {}
  get token() {
    return holeToken(this.name);
  }
}

/** Compiles one digest skeleton with MJML: the template with holes for everything a variant brings. */
async function compileSkeleton(language: Language, rawSubject: string, m: ListModel, sections: Record<(typeof LIST_SECTIONS)[number], boolean>): Promise<Skeleton> {
  const source = CONTENT_TEMPLATE_SOURCES.digest[language];
  const subject = headerSafe(textValue(rawSubject));
  const scope: Scope = { heading: m.heading, intro: m.intro, preview: new Hole("preview"), subject };
  for (const name of LIST_SECTIONS) {
    if (sections[name]) scope[name] = { count: new Hole(`${name}.count`), items: new Hole(`${name}.items`), more: new Hole(`${name}.more`) };
  }
  const mjml = render(source.mjml, [scope], htmlValue, (v) => v.html);
  const text = render(source.text, [scope], textValue, (v) => v.text);
  const { default: mjml2html } = await import("mjml");
  const result = await mjml2html(mjml, { validationLevel: "strict", minify: false, ignoreIncludes: true });
  if (result.errors.length) throw new Error(`MJML rejected the digest skeleton (${language}): ${result.errors.map((e) => e.formattedMessage).join("; ")}`);
  const skeleton: Skeleton = { subject, html: skeletonPart(result.html, mjml), text: skeletonPart(text, text) };
  assertOnlyRecipientPlaceholders({ subject, html: skeleton.html.parts.join(""), text: skeleton.text.parts.join("") }, "digest skeleton");
  return skeleton;
}

/**
 * Splits compiled output at its hole tokens. `source` is what was compiled, with the same tokens in
 * the same order: a run of adjacent tokens that opens (closes) an MJML tag's content there is trimmed
 * at that end when filled, since MJML trims that content.
 */
function skeletonPart(output: string, source: string): SkeletonPart {
  const split = (s: string) => {
    const parts: string[] = [];
    const holes: string[] = [];
    let last = 0;
    for (const match of s.matchAll(HOLE_TOKEN)) {
      parts.push(s.slice(last, match.index));
      holes.push(match[1]!);
      last = match.index! + match[0].length;
    }
    parts.push(s.slice(last));
    return { parts, holes };
  };
  const out = split(output);
  const src = split(source);
  if (out.holes.join() !== src.holes.join()) throw new Error(`Digest skeleton: the compiled holes (${out.holes.join()}) are not the source's (${src.holes.join()})`);
  const part: SkeletonPart = { parts: [out.parts[0]!], runs: [] };
  for (let i = 0; i < out.holes.length; i++) {
    // A hole right after the previous one (nothing between them) joins its run.
    if (i > 0 && out.parts[i] === "" && src.parts[i] === "") part.runs.at(-1)!.holes.push(out.holes[i]!);
    else {
      if (i > 0) part.parts.push(out.parts[i]!);
      part.runs.push({ holes: [out.holes[i]!], trimStart: /<mj-[a-z-]+(?:\s[^>]*)?>\s*$/.test(src.parts[i]!), trimEnd: false });
    }
    const run = part.runs.at(-1)!;
    run.trimEnd = /^\s*<\/mj-[a-z-]+>/.test(src.parts[i + 1]!);
  }
  part.parts.push(out.parts.at(-1)!);
  return part;
}

/** The body of section `child` inside section `parent` of a template, as parsed nodes. */
function sectionBody(source: string, parent: string, child: string): Node[] {
  const find = (nodes: Node[]): Node[] | undefined => {
    for (const node of nodes) {
      if (typeof node === "string" || "slot" in node) continue;
      if (node.section === parent) {
        const inner = node.body.find((n): n is Extract<Node, { section: string }> => typeof n !== "string" && "section" in n && n.section === child);
        if (inner) return inner.body;
      }
      const deeper = find(node.body);
      if (deeper) return deeper;
    }
    return undefined;
  };
  const body = find(parse(source));
  if (!body) throw new Error(`Content template: no ((#${child})) inside ((#${parent}))`);
  return body;
}

// ---------------------------------------------------------------------------------------------------
// Values for the templates. Everything here is raw text; escaping happens when it is put into a slot.

/**
 * Why an item must be left out of content emails, or undefined if it can go in. It builds the item's
 * values in both languages exactly as the templates get them (its links under the URL rule, its
 * dates, its text), so a planner can leave one bad item out of every email, and say so, instead of
 * failing every email the item would have been in. Items stored before the URL rule are the usual case.
 */
export function itemLeftOut(item: ContentItem): ItemLeftOut | undefined {
  try {
    for (const language of LANGUAGES) {
      if (item.kind === "seminar") seminarValues(item, language);
      else itemValues(item, language);
      shorten(oneLine(item.summary), DIGEST_SUMMARY_LENGTH);
    }
    return undefined;
  } catch (err) {
    // A stored item may predate today's schema: whatever it holds, the warning stays storable.
    const version = Number.isFinite(item.version) ? item.version : 0;
    return { code: "item_left_out", itemId: String(item.id), version, reason: err instanceof Error ? err.message : String(err) };
  }
}

function itemValues(item: ContentItem, language: Language) {
  return {
    title: oneLine(item.title),
    url: httpUrl(item.url, item.id, "URL"),
    language: item.language,
    otherLanguage: item.language === language ? undefined : t(language, `content.in-language.${item.language}`),
  };
}

function seminarValues(item: Seminar, language: Language) {
  return {
    ...itemValues(item, language),
    when: formatSeminarTime(item.startsAt, item.endsAt, language),
    location: oneLine(item.location),
    registrationUrl: item.registrationUrl === undefined ? undefined : httpUrl(item.registrationUrl, item.id, "registration URL"),
  };
}

function periodValues(cadence: "daily" | "weekly" | "monthly", period: string, language: Language): Record<string, string> {
  if (cadence === "daily") {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
    if (!m) throw new Error(`Content email: daily period must look like 2026-12-02, not ${JSON.stringify(period)}`);
    return { day: formatDay(Number(m[1]), Number(m[2]), Number(m[3]), language) };
  }
  if (cadence === "weekly") {
    const m = /^(\d{4})-W(\d{2})$/.exec(period);
    const week = m ? Number(m[2]) : 0;
    if (week < 1 || week > 53) throw new Error(`Content email: weekly period must look like 2026-W48, not ${JSON.stringify(period)}`);
    return { week: String(week) };
  }
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  const month = m ? Number(m[2]) : 0;
  if (!m || month < 1 || month > 12) throw new Error(`Content email: monthly period must look like 2026-12, not ${JSON.stringify(period)}`);
  return { month: formatMonth(Number(m[1]), month, language) };
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** A single item's subject values: its title, and a note of its language when that is not the reader's. */
function subjectValues(item: ContentItem, language: Language): Record<string, string> {
  return { title: oneLine(item.title), ...(item.language === language ? {} : { in: t(language, `content.in-language.${item.language}`) }) };
}

/** A mission's archive page on the site, after `{{siteUrl}}`, in the reader's language. */
export const archivePath = (missionId: string, language: Language) => `/missions/${encodeURIComponent(missionId)}/archive${language === "sv" ? "" : `?lang=${language}`}`;

/** How many items of each kind, in words: "3 seminarier, 2 publikationer och 1 nyhet" / "3 seminars, 2 publications and 1 news item". */
function countsText(items: ContentItem[], language: Language): string {
  const parts: string[] = [];
  for (const kind of ["seminar", "publication", "news"] as const) {
    const count = items.filter((i) => (kind === "publication" ? i.kind !== "seminar" && i.kind !== "news" : i.kind === kind)).length;
    if (count) parts.push(t(language, `digest.count.${kind}.${count === 1 ? "one" : "other"}`, { count: String(count) }));
  }
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")}${t(language, "digest.and")}${parts.at(-1)}` : (parts[0] ?? "");
}

/**
 * A link as the URL rule has it (see content/url.ts), the same rule the schema, the pages and the feed
 * apply: an item stored before the rule gets its link encoded here, or refused with the rule's reason.
 */
function httpUrl(url: string, id: string, what: string): string {
  const checked = checkUrl(url);
  if (!checked.ok) throw new Error(`Content email: item "${id}" has a ${what} that cannot be used: ${checked.reason}`);
  return checked.url;
}

/** One grapheme segmenter for the process, made on first use: making one costs far more than segmenting a summary. */
let graphemeSegmenter: Intl.Segmenter | undefined;

/** Shortens text to at most `max` characters (whole graphemes, so no emoji is cut), at a word break if one is near. */
export function shorten(text: string, max: number): string {
  // A grapheme is at least one UTF-16 code unit, so text this short needs no segmenting.
  if (text.length <= max) return text;
  graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  // Only the first max + 1 graphemes matter: whether there are more than max, and the first max - 1.
  const graphemes: string[] = [];
  for (const { segment } of graphemeSegmenter.segment(text)) {
    graphemes.push(segment);
    if (graphemes.length > max) break;
  }
  if (graphemes.length <= max) return text;
  const cut = graphemes.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${(space > cut.length * 0.7 ? cut.slice(0, space) : cut).replace(/[\s.,;:–-]+$/, "")}…`;
}

/** A content string in a language, with its `((slots))` filled from `values` (plain text). */
function t(language: Language, key: string, values: Record<string, string> = {}): string {
  const source = CONTENT_STRINGS[language][key];
  if (source === undefined) throw new Error(`Content email: no string "${key}" in templates/strings/${language}.json`);
  return render(source, [values], (s) => s);
}

// ---------------------------------------------------------------------------------------------------
// Escaping per context. Values come from the CMS (or from our own strings, which gain nothing from it).

/** HTML: escaped, braces as character references, line breaks kept as <br />. */
function htmlValue(value: string): string {
  return escapeHtml(value).replace(/\{/g, "&#123;").replace(/\}/g, "&#125;").replace(/\r?\n/g, "<br />\n");
}

/** Plain text: a zero-width space after every `{` and before every `}`, so no two braces touch. */
function textValue(value: string): string {
  return value.replace(/\r/g, "").replace(/\{/g, "{\u200b").replace(/\}/g, "\u200b}");
}

// ---------------------------------------------------------------------------------------------------
// The slot renderer.

/**
 * Text that is already safe for both parts (an announcement's markdown, rendered with raw HTML
 * escaped and braces neutralised): put into a slot as it is, its HTML in the HTML part and its text
 * in the text part.
 */
export class Markup {
  constructor(
    readonly html: string,
    readonly text: string,
  ) {}
}

type Value = string | undefined | Markup | Hole | Scope | Scope[];
interface Scope {
  [name: string]: Value;
}

type Node = string | { slot: string } | { section: string; inverted: boolean; body: Node[] };

const parsed = new Map<string, Node[]>();

function parse(source: string): Node[] {
  const cached = parsed.get(source);
  if (cached) return cached;
  // A section tag alone on its line takes the line with it, so sections leave no blank lines behind.
  const src = source.replace(/^[ \t]*(\(\([#^/][A-Za-z][\w-]*\)\))[ \t]*\r?\n/gm, "$1");
  const root: Node[] = [];
  const stack: { name: string; body: Node[] }[] = [{ name: "", body: root }];
  const tag = /\(\(([#^/]?)([A-Za-z][\w-]*)\)\)/g;
  let last = 0;
  for (let m = tag.exec(src); m; m = tag.exec(src)) {
    const body = stack[stack.length - 1]!.body;
    if (m.index > last) body.push(src.slice(last, m.index));
    last = tag.lastIndex;
    const [, sigil, name] = m as unknown as [string, string, string];
    if (sigil === "#" || sigil === "^") {
      const node = { section: name, inverted: sigil === "^", body: [] as Node[] };
      body.push(node);
      stack.push({ name, body: node.body });
    } else if (sigil === "/") {
      if (stack.length === 1 || stack[stack.length - 1]!.name !== name) throw new Error(`Content template: ((/${name})) closes no open section`);
      stack.pop();
    } else {
      body.push({ slot: name });
    }
  }
  if (stack.length > 1) throw new Error(`Content template: ((#${stack[stack.length - 1]!.name})) is never closed`);
  if (last < src.length) root.push(src.slice(last));
  parsed.set(source, root);
  return root;
}

function lookup(scopes: Scope[], name: string): Value {
  for (let i = scopes.length - 1; i >= 0; i--) if (name in scopes[i]!) return scopes[i]![name];
  return undefined;
}

/** Fills a template's slots; inserted values are escaped with `escape` and never read as template syntax. */
function render(source: string, scopes: Scope[], escape: (s: string) => string, markup?: (m: Markup) => string): string {
  return renderNodes(parse(source), scopes, escape, markup);
}

/** Renders parsed template nodes (see render); a Hole renders as its token, for a slot and for a section alike. */
function renderNodes(nodes: Node[], scopes: Scope[], escape: (s: string) => string, markup: (m: Markup) => string = () => {
  throw new Error("Content template: markup in a slot that takes text only");
}): string {
  const walk = (nodes: Node[], scopes: Scope[]): string => {
    let out = "";
    for (const node of nodes) {
      if (typeof node === "string") out += node;
      else if ("slot" in node) {
        const value = lookup(scopes, node.slot);
        if (value instanceof Markup) out += markup(value);
        else if (value instanceof Hole) out += value.token;
        else if (typeof value !== "string") throw new Error(`Content template: no text for ((${node.slot}))`);
        else out += escape(value);
      } else {
        const value = lookup(scopes, node.section);
        if (value instanceof Hole && !node.inverted) {
          out += value.token;
          continue;
        }
        const present = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== "";
        if (node.inverted) {
          if (!present) out += walk(node.body, scopes);
        } else if (Array.isArray(value)) {
          for (const element of value) out += walk(node.body, [...scopes, element]);
        } else if (present) {
          out += walk(node.body, typeof value === "object" && !(value instanceof Markup) ? [...scopes, value as Scope] : scopes);
        }
      }
    }
    return out;
  };
  return walk(nodes, scopes);
}

// ---------------------------------------------------------------------------------------------------
// Compilation.

async function compile(template: ContentTemplate, language: Language, rawSubject: string, model: Scope, what: string): Promise<CompiledVariant> {
  const source = CONTENT_TEMPLATE_SOURCES[template][language];
  const subject = headerSafe(textValue(rawSubject));
  const scope: Scope = { ...model, subject };
  const mjml = render(source.mjml, [scope], htmlValue, (m) => m.html);
  const text = render(source.text, [scope], textValue, (m) => m.text);
  const { default: mjml2html } = await import("mjml");
  const result = await mjml2html(mjml, { validationLevel: "strict", minify: false, ignoreIncludes: true });
  if (result.errors.length) {
    throw new Error(`MJML rejected the ${what} email (${language}): ${result.errors.map((e) => e.formattedMessage).join("; ")}`);
  }
  const variant = { subject, html: result.html, text };
  assertOnlyRecipientPlaceholders(variant, what);
  return variant;
}

/** The last line of defence: any `{{` or `}}` other than a recipient placeholder is a bug here. */
function assertOnlyRecipientPlaceholders(variant: CompiledVariant, what: string): void {
  const allowed = new RegExp(`\\{\\{(?:${RECIPIENT_PLACEHOLDERS.join("|")})\\}\\}`, "g");
  for (const part of ["subject", "html", "text"] as const) {
    const rest = part === "subject" ? variant.subject : variant[part].replace(allowed, "");
    if (/\{\{|\}\}/.test(rest)) throw new Error(`Content email: the ${what} email's ${part} has a stray {{ or }}`);
  }
}
