import type { RouteSpec } from "../routes";
import type { SchemaName } from "./schemas";

/**
 * What the OpenAPI document says about each route, keyed by `"METHOD /path"` as in the route table.
 * The route table says where a route goes; this map says what it does for a caller. A route without
 * an entry here fails `tests/unit/openapi.test.ts` and the document's builder, so the two cannot drift.
 */

/** `"GET /missions/{id}"`: a route's method and path, as the route table has them. */
export type RouteKey = `${RouteSpec["method"]} /${string}`;

/** A JSON Schema written out, for the few bodies that no zod schema describes (HTML forms, query values). */
export type JsonSchema = Record<string, unknown>;

/** A named zod schema (see schemas.ts) or a plain JSON Schema. */
export type SchemaRef = SchemaName | JsonSchema;

/** The media types the API speaks. */
export const MEDIA = {
  json: "application/json",
  form: "application/x-www-form-urlencoded",
  html: "text/html",
  javascript: "text/javascript",
  css: "text/css",
  atom: "application/atom+xml",
  text: "text/plain",
} as const;
export type Media = keyof typeof MEDIA;

export interface Parameter {
  description: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface Content {
  media: Media;
  schema?: SchemaRef;
}

/** A successful or otherwise shaped answer: a JSON body, a page, a script, a redirect. */
export interface Answer {
  description: string;
  content?: Content[];
  headers?: Record<string, string>;
}

export interface Operation {
  summary: string;
  description?: string;
  query?: Record<string, Parameter>;
  headers?: Record<string, Parameter>;
  body?: { required?: boolean; description?: string; content: Content[] };
  responses: Record<number, Answer>;
  /** Refusals answered with the error envelope, by status: the codes and when. */
  errors?: Record<number, string>;
}

const json = (schema?: SchemaRef): Content[] => [{ media: "json", ...(schema ? { schema } : {}) }];
const page = (description: string, headers?: Record<string, string>): Answer => ({ description, content: [{ media: "html" }], ...(headers ? { headers } : {}) });
const ok = (description: string, schema?: SchemaRef): Answer => ({ description, content: json(schema) });
const redirect = (description: string): Answer => ({ description, headers: { location: "Where to go next." } });
const str = (extra: JsonSchema = {}): JsonSchema => ({ type: "string", ...extra });

const LANG: Parameter = { description: "The page's language: `sv` (the default) or `en`.", schema: str({ enum: ["sv", "en"] }) };
const MANAGE_TOKEN: Parameter = { required: true, description: "The manage token from any list email's links (HMAC-signed, one year, renewed with every email).", schema: str({ maxLength: 1024 }) };
const DATA_RIGHTS_TOKEN: Parameter = { required: true, description: "The data-rights token from the emailed link (one hour).", schema: str({ maxLength: 1024 }) };
const CAMPAIGN_TAG: Parameter = { description: "The campaign tag that campaign emails' unsubscribe links carry, so the unsubscribe is counted on that campaign once.", schema: str({ pattern: "^[A-Za-z0-9_-]{1,256}$" }) };
const limit = (byDefault: number, most: number): Parameter => ({ description: `How many, ${byDefault} by default, at most ${most}.`, schema: { type: "integer", minimum: 1, maximum: most, default: byDefault } });
const cursor = (name: string): Parameter => ({ description: `The \`next\` of the previous page, to read the page after it (as \`${name}\`).`, schema: str() });

const BAD_JSON = "`invalid_json`: the body is empty or not JSON; `invalid_encoding`: it is not UTF-8.";
const TOO_LARGE = "`body_too_large`: the body is over the route's limit (16 KB for most routes).";
const BAD_LINK = "`invalid_token`: a bad or tampered token; `token_expired`: an expired one.";
const LINK_PAGE_ERRORS: Record<number, Answer> = {
  400: page("The link does not work: a bad, tampered or expired token. A page in the visitor's language says what to do."),
  404: page("There is no subscription for this link any more (it may have been erased)."),
};
const ANNOUNCEMENT_ERRORS = { 404: "`announcement_not_found`." };
const announcementState = (description: string): Answer => ok(description);

const ANNOUNCEMENT_CONTENT =
  "`{ title: {sv?, en?}, body: {sv?, en?} (markdown), missions, event?: {date, time?, place?}, cta?: {label: {sv?, en?}, url} }`. " +
  "Each language has both a title and a body, or neither, and at least one has both; the button has a label in each language the announcement has. " +
  "A body is at most 20,000 characters and 60 KB of HTML once formatted. See docs/announcements.md.";

const SUBSCRIBE_FORM: JsonSchema = {
  type: "object",
  description:
    "The sign-up widget's fields; `missions` and `topics` repeat. `cadenceByMission.<mission id>` (one of the cadences, or empty for the same as `cadence`) sets one mission's cadence: the widget's \"each mission separately\" choice. The cookie choices are read from the visitor's consent cookie, never from the form.",
  properties: {
    email: str(),
    language: str({ enum: ["sv", "en"] }),
    missions: str(),
    topics: str({ enum: ["seminar", "publication", "news"] }),
    cadence: str({ enum: ["immediate", "daily", "weekly", "monthly"] }),
    consent: str({ const: "yes", description: "The newsletter consent box." }),
    policyVersion: str({ description: "The consent policy version the widget showed." }),
    website: str({ description: "Honeypot: left empty by people." }),
    lang: str({ enum: ["sv", "en"] }),
    from: str({ description: "The page the form was on (one of the site's public pages)." }),
  },
};

export const OPERATIONS: Record<RouteKey, Operation> = {
  "GET /api/missions": {
    summary: "The missions catalogue",
    description: "The active missions: kebab-case id, name and description in Swedish and English, and the team's contact (a shared inbox).",
    responses: { 200: ok("The active missions.", "MissionsCatalogue") },
  },
  "GET /api/consent": {
    summary: "The current consent text",
    description:
      "The current `{ policyVersion, text: { sv, en } }`. A sign-up names the `policyVersion` it showed; the ledger stores the server's text for that version and its hash, never text sent by the client.",
    responses: { 200: ok("The current policy version and its texts.", "ConsentPolicy") },
  },
  "GET /missions": {
    summary: "The Missions overview",
    description: "The public overview: a card per active mission, the coming seminars, and the sign-up widget (or, without functional cookies, the cookie notice). Swedish; `?lang=en` for English.",
    query: { lang: LANG },
    responses: { 200: page("The overview page.") },
  },
  "GET /missions/{id}": {
    summary: "A mission's page",
    description: "One mission's page: its coming seminars, latest publications and news, team contact, and the sign-up widget with this mission chosen. Swedish; `?lang=en` for English.",
    query: { lang: LANG },
    responses: { 200: page("The mission's page."), 404: page("No such mission, or it is retired.") },
  },
  "GET /missions/{id}/archive": {
    summary: "A mission's archive",
    description: "The mission's public archive, month by month, newest first: coming seminars (up to 12 months ahead), then the last 24 months of seminars, publications and news.",
    query: { lang: LANG },
    responses: { 200: page("The archive page."), 404: page("No such mission, or it is retired.") },
  },
  "GET /missions/{id}/feed.atom": {
    summary: "A mission's Atom feed",
    description: "The archive's items as an Atom feed (entry ids `urn:mission-mail:content:<id>`), with labels in the chosen language. The same for everyone, so caches may keep it for five minutes.",
    query: { lang: LANG },
    responses: { 200: { description: "The feed.", content: [{ media: "atom" }] }, 404: page("No such mission, or it is retired.") },
  },
  "POST /subscribe": {
    summary: "The sign-up widget's form",
    description:
      "The widget's plain form post, which works without JavaScript: the same use case as `POST /api/subscriptions`, with `source: web` and the cookie choices read from the consent cookie, answered with a page. Without functional cookies it is refused, so the cookie gate holds without JavaScript.",
    query: { lang: LANG },
    body: { required: true, content: [{ media: "form", schema: SUBSCRIBE_FORM }] },
    responses: {
      200: page("The \"check your inbox\" page."),
      400: page("The form again, with the values kept and each problem next to its field."),
      403: page("No functional cookies: the seed site's notice, with a link to the cookie settings and a one-click \"allow\" form."),
      422: page("The form again: the consent box was not ticked, or the policy version is unknown."),
      429: page("The form again: too many sign-ups for the address or from the IP.", { "retry-after": "Seconds until a sign-up is taken again." }),
    },
  },
  "GET /tillganglighet": {
    summary: "The accessibility statement (Swedish)",
    query: { lang: LANG },
    description: "The accessibility statement (tillgänglighetsredogörelse) after the Swedish Agency for Digital Government's model: compliance status, known gaps, how to report a problem, the supervisory body and the date of assessment. Its text is `templates/pages/accessibility.sv.md`. `?lang=en` redirects to `/en/accessibility`.",
    responses: { 200: page("The page."), 301: redirect("`?lang=en`: the English page.") },
  },
  "GET /en/accessibility": {
    summary: "The accessibility statement (English)",
    description: "The accessibility statement in English (`templates/pages/accessibility.en.md`).",
    responses: { 200: page("The page.") },
  },
  "GET /personuppgifter": {
    summary: "The privacy notice (Swedish)",
    query: { lang: LANG },
    description: "What is stored about a subscriber, why (consent), for how long (the retention table) and how to use one's rights. Its text is `templates/pages/privacy.sv.md`. `?lang=en` redirects to `/en/privacy`.",
    responses: { 200: page("The page."), 301: redirect("`?lang=en`: the English page.") },
  },
  "GET /en/privacy": {
    summary: "The privacy notice (English)",
    description: "The privacy notice in English (`templates/pages/privacy.en.md`).",
    responses: { 200: page("The page.") },
  },
  "GET /cookies": {
    summary: "The cookie settings page",
    description: "The cookie settings page, with the visitor's current choices checked. It changes nothing. The footer's \"Cookie settings\" link opens it.",
    query: { lang: LANG, return: { description: "One of the site's public pages to go back to after saving; anything else goes to /missions.", schema: str() } },
    responses: { 200: page("The settings page.") },
  },
  "POST /cookies": {
    summary: "Save the cookie choice",
    description:
      "The banner's and the settings page's form. Saves the choice in the first-party cookie `mm_cookies=v1:f<0|1>:s<0|1>` (functional, statistics; necessary cookies are always on) for a year. A form post is answered 303 back to `return` (only one of the site's public pages); the site script asks for JSON and gets 200 with the same cookie, without a redirect.",
    query: { lang: LANG },
    body: {
      required: true,
      content: [
        {
          media: "form",
          schema: {
            type: "object",
            properties: {
              choice: str({ enum: ["all", "necessary", "custom"], default: "custom" }),
              functional: str({ const: "1", description: "With `custom`: allow functional cookies." }),
              statistics: str({ const: "1", description: "With `custom`: allow statistics cookies." }),
              return: str({ description: "One of the site's public pages to go back to." }),
              lang: str({ enum: ["sv", "en"] }),
            },
          },
        },
      ],
    },
    responses: {
      200: ok("With `Accept: application/json`: `{ cookies: { functional, statistics } }`, and the cookie.", { type: "object", properties: { cookies: { type: "object", properties: { functional: { type: "boolean" }, statistics: { type: "boolean" } } } } }),
      303: redirect("Saved; back to the `return` page (or /missions)."),
      400: page("`choice` is not one of all, necessary, custom (a JSON error envelope, `invalid_choice`, when JSON was asked for)."),
    },
  },
  "GET /assets/{file}": {
    summary: "The pages' style sheets and scripts",
    description:
      "A style sheet or script of the pages, by its content-hashed name as the pages link to it (`site.<hash>.css`, `site.<hash>.js`, the staff console's and chart.js), built by `npm run assets`. A name's content never changes, so it is cached for a year (`immutable`). The site's script only makes the pages smoother; nothing needs it.",
    responses: { 200: { description: "The file.", content: [{ media: "css" }, { media: "javascript" }] } },
    errors: { 404: "`not_found`: no asset has that name." },
  },
  "GET /staff": {
    summary: "The staff console",
    description:
      "The staff console's page (Swedish; `?lang=en`). It is public and holds nothing secret: its script signs the person in (the Cognito Hosted UI in AWS, a token in the URL's fragment locally) and calls the staff API with their token. See docs/announcements.md.",
    query: { lang: LANG },
    responses: { 200: page("The console.") },
  },
  "GET /staff/callback": {
    summary: "The staff console's sign-in return",
    description: "Where the Hosted UI returns to after sign-in, with the authorization code and `state`; the same page as `/staff`, whose script exchanges the code (PKCE) in the browser.",
    query: { lang: LANG, code: { description: "The Hosted UI's authorization code.", schema: str() }, state: { description: "The sign-in's `state`, checked by the script.", schema: str() } },
    responses: { 200: page("The console.") },
  },
  "POST /api/subscriptions": {
    summary: "Sign up (double opt-in)",
    description:
      "Starts a double opt-in: a confirmation email is sent and the subscription stays pending (7 days) until its link is followed. Always `202 {\"status\":\"pending\"}` on success, for a new, pending or already active address alike, after the same work (the request is stored and queued; which of the three it is gets decided afterwards, off the request path), so neither the answer nor its timing tells who subscribes; an active address is emailed a link to its preferences instead. " +
      "A filled honeypot field (`website`) gets the same 202 and nothing is stored. Addresses are trimmed, their domain lower-cased and IDNA-encoded, and their length limited (64/254). A sign-up may carry the visitor's cookie choices, which the ledger records.",
    body: { required: true, content: json("SubscribeRequest") },
    responses: { 202: ok("Pending: a confirmation email is on its way (or, for an active address, a link to its preferences).", "Pending") },
    errors: {
      400: `\`validation_failed\`, with \`fields\` naming every bad field: address, language, unknown mission ids, empty lists, wrong types. ${BAD_JSON}`,
      413: "`body_too_large`: bodies over 16 KB.",
      422: "`consent_required`: `consent.newsletter` missing or false; `unknown_policy_version`: a policy version the server does not hold.",
      429: "`rate_limited`, with `Retry-After`: too many sign-ups for the address or from the IP.",
    },
  },
  "POST /api/subscriptions/confirm": {
    summary: "Confirm a sign-up",
    description: "Activates the pending subscription and queues the welcome email, once (confirming again is harmless and sends nothing). Takes JSON `{\"token\"}` from scripts, or the confirmation page's form, which gets a page back.",
    query: { lang: LANG },
    body: { required: true, content: [...json("ConfirmRequest"), { media: "form", schema: { type: "object", properties: { token: str() }, required: ["token"] } }] },
    responses: {
      200: { description: "Active: `{\"status\":\"active\",\"alreadyConfirmed\":false}` for JSON (`true` when it was confirmed before), the \"you are subscribed\" page for the form.", content: [...json("Confirmed"), { media: "html" }] },
      400: page("For the form: the link has expired or is not valid."),
    },
    errors: { 400: `${BAD_LINK} \`token_expired\` too when the sign-up is no longer pending (it expired, or the person unsubscribed). ${BAD_JSON}` },
  },
  "GET /confirm": {
    summary: "The confirmation page",
    description:
      "The page behind the confirmation email's link. It changes nothing by itself, because mail scanners follow links: its script (`/assets/site.*.js`) posts the token to `POST /api/subscriptions/confirm` once the page is visible to a person (`document.visibilityState` is `visible`) and shows the result in place. Without JavaScript its button posts the same form.",
    query: { token: { required: true, description: "The confirm token from the email (7 days).", schema: str({ maxLength: 1024 }) }, lang: LANG },
    responses: { 200: page("The page with the button.") },
  },
  "GET /unsubscribe": {
    summary: "The unsubscribe page",
    description: "The page behind every email's unsubscribe link: one button, in the subscriber's language. It changes nothing.",
    query: { token: MANAGE_TOKEN, c: CAMPAIGN_TAG, lang: LANG },
    responses: { 200: page("The page with the button."), 400: LINK_PAGE_ERRORS[400]! },
  },
  "POST /unsubscribe": {
    summary: "Unsubscribe (one click)",
    description:
      "Unsubscribes from everything at once and answers 200. It serves RFC 8058 one-click requests (body `List-Unsubscribe=One-Click`, sent by mail clients from the `List-Unsubscribe-Post` header) and the page's button alike; no body field is needed. A withdrawal goes into the consent ledger. With `c`, the unsubscribe is counted on that campaign once per subscriber.",
    query: { token: MANAGE_TOKEN, c: CAMPAIGN_TAG, lang: LANG },
    body: { content: [{ media: "form", schema: { type: "object", properties: { "List-Unsubscribe": str({ const: "One-Click" }) } } }] },
    responses: { 200: page("Unsubscribed (also when the person was already gone)."), 400: LINK_PAGE_ERRORS[400]! },
  },
  "POST /unsubscribe/reason": {
    summary: "Say why you left (optional)",
    description:
      "After unsubscribing, the result page asks one optional question: why did you leave? The answer (`too-many-emails`, `not-relevant`, `never-signed-up` or `other`, plus up to 500 characters of text) is stored without the address: only with the missions the person followed, the campaign `c` names and the time. One answer per person; a second is accepted and ignored. `never-signed-up` is counted beside complaints in the mission statistics. JSON gets JSON back; the page's form gets a thank-you page, or the form again with its errors (400).",
    query: { token: MANAGE_TOKEN, c: CAMPAIGN_TAG, lang: LANG },
    body: {
      required: true,
      content: [...json("DepartureReasonRequest"), { media: "form", schema: { type: "object", properties: { reason: str({ enum: ["too-many-emails", "not-relevant", "never-signed-up", "other"] }), text: str({ maxLength: 500 }) }, required: ["reason"] } }],
    },
    responses: {
      200: { description: "Recorded: `{\"status\":\"recorded\"}` (or `duplicate`) for JSON, the thank-you page for the form.", content: [...json("DepartureRecorded"), { media: "html" }] },
      400: page("For the form: the form again, with what is wrong."),
    },
    errors: {
      400: `\`validation_failed\`, with \`fields\` naming \`reason\` (not one of the four) or \`text\` (over 500 characters). ${BAD_LINK}`,
      409: "`not_unsubscribed`: the link's subscriber has not unsubscribed.",
    },
  },
  "GET /preferences": {
    summary: "The preference centre",
    description:
      "The preference centre behind every email's link: missions, topics, cadence, language, open and click tracking, and data rights. It shows the address masked (`a•••@example.org`), so a forwarded email does not reveal it. Reading changes nothing.",
    query: { token: MANAGE_TOKEN, lang: LANG, saved: { description: "`1` after a save: shows that it was saved.", schema: str() } },
    responses: { 200: page("The preference centre."), ...LINK_PAGE_ERRORS },
  },
  "POST /preferences": {
    summary: "Save preferences (form)",
    description: "The centre's form, which works without JavaScript: saves through the same use case as `PUT /api/preferences`, then redirects back to the page (303, so a reload does not post again).",
    query: { token: MANAGE_TOKEN, lang: LANG },
    body: {
      required: true,
      content: [
        {
          media: "form",
          schema: {
            type: "object",
            description: "`missions` and `topics` repeat; `tracking` is `on` when ticked; `cadenceByMission.<mission id>` (a cadence, or empty for the same as `cadence`) sets one mission's cadence.",
            properties: { missions: str(), topics: str({ enum: ["seminar", "publication", "news"] }), cadence: str({ enum: ["immediate", "daily", "weekly", "monthly"] }), language: str({ enum: ["sv", "en"] }), tracking: str({ const: "on" }) },
          },
        },
      ],
    },
    responses: {
      303: redirect("Saved; back to the preference centre."),
      400: page("The form again, with what was entered and what is wrong (or the link does not work)."),
      404: LINK_PAGE_ERRORS[404]!,
      409: page("The form again: the person unsubscribed, or the choices changed meanwhile."),
      422: page("The form again: too many missions and topics changed at once."),
    },
  },
  "GET /api/preferences": {
    summary: "Read preferences",
    description: "The subscriber's choices as JSON, the address masked, with the missions one can choose from.",
    query: { token: MANAGE_TOKEN },
    responses: { 200: ok("The choices.", "PreferencesView") },
    errors: { 400: BAD_LINK, 404: "`not_found`: the person is gone." },
  },
  "PUT /api/preferences": {
    summary: "Replace preferences",
    description:
      "`{ missions, topics, cadence, language, tracking }` replaces the choices, in one transaction: the profile, the fan-out memberships that changed and an `updated` ledger record (tracking included). The next send follows them. Nothing is stored for a refused request.",
    query: { token: MANAGE_TOKEN },
    body: { required: true, content: json("PreferencesUpdate") },
    responses: { 200: ok("The saved choices.", "PreferencesView") },
    errors: {
      400: `\`validation_failed\` with \`fields\`. ${BAD_LINK} ${BAD_JSON}`,
      404: "`not_found`: the person is gone.",
      409: "`not_subscribed`: the person unsubscribed; `conflict`: the choices changed meanwhile.",
      413: TOO_LARGE,
      422: "`too_many_changes`: too many missions and topics change at once.",
    },
  },
  "POST /api/me/requests": {
    summary: "Ask for a data-rights link",
    description:
      "`{\"action\":\"export\"|\"erase\"}` emails a one-hour data-rights link to the subscriber's own address, at most 5 an hour. Data rights never act on the manage token alone, so whoever holds a forwarded newsletter cannot read or erase the subscriber's data. The preference centre's buttons post the same as a form and get a page back.",
    query: { token: MANAGE_TOKEN, lang: LANG },
    body: { required: true, content: [...json("DataRightsRequest"), { media: "form", schema: { type: "object", properties: { action: str({ enum: ["export", "erase"] }) } } }] },
    responses: { 202: { description: "The link is on its way (JSON, or a page for the form).", content: [...json("DataRightsRequested"), { media: "html" }] } },
    errors: {
      400: `\`validation_failed\` with \`fields\`. ${BAD_LINK} ${BAD_JSON}`,
      404: "`not_found`: the person is gone.",
      429: "`rate_limited`, with `Retry-After`: more than 5 links within the hour.",
    },
  },
  "GET /me": {
    summary: "The data-rights page",
    description: "The page the emailed data-rights link opens: download the data, or erase it (a button), whichever the link was sent for. It changes nothing.",
    query: { token: DATA_RIGHTS_TOKEN, lang: LANG },
    responses: { 200: page("The page."), 400: LINK_PAGE_ERRORS[400]! },
  },
  "GET /api/me/export": {
    summary: "Export my data",
    description:
      "Everything stored about the person: the profile, every consent record (with the policy text shown), every campaign email with SES's later feedback, and any suppression. `download=1` makes it a file. One export link downloads three times.",
    query: { token: DATA_RIGHTS_TOKEN, download: { description: "`1`: answer as a file (`Content-Disposition: attachment`).", schema: str({ enum: ["1"] }) } },
    responses: { 200: ok("The person's data.") },
    errors: {
      400: BAD_LINK,
      403: "`wrong_link_action`: the link was sent for an erasure.",
      404: "`not_found`: nothing is held for this link (erased, or the sign-up expired unconfirmed).",
      410: "`link_used`: the link has downloaded three times already.",
    },
  },
  "POST /api/me/erase": {
    summary: "Erase my data",
    description:
      "Erases the person, leaving only the suppression HMAC of the address and an anonymised `erased` ledger entry that holds only a time. An erasure link works once; a failed erasure gives its use back. The data-rights page's button gets a page back; an API call gets `{\"status\":\"erased\"}`.",
    query: { token: DATA_RIGHTS_TOKEN, lang: LANG },
    responses: { 200: { description: "Erased.", content: [...json("Erased"), { media: "html" }] } },
    errors: { 400: BAD_LINK, 403: "`wrong_link_action`: the link was sent for an export.", 410: "`link_used`: the link has erased already." },
  },
  "POST /webhooks/content": {
    summary: "A content event from the CMS",
    description:
      "A content event from any CMS: `{ type, item }`, where `type` is `content.published`, `content.updated` or `content.unpublished`. `X-Signature-Timestamp` is the time in unix seconds, and `X-Signature-256: sha256=<hex>` the HMAC-SHA256 of `<timestamp>.<raw body>` under `WEBHOOK_SECRET` (while it is rotated, any of its comma-separated secrets); a timestamp more than five minutes away is refused (401 `stale_signature`), so a captured request cannot be replayed. An item version alerts at most once, so a repeat of it alerts nobody. " +
      "The answer is 202 only once the event bus has accepted the event. Events are idempotent and ordered by the item's `version`, so repeating one is safe. In AWS a CMS can also put the same events on the app's bus directly: source `missions.content`, detail-type the event type, detail the item.",
    headers: {
      "X-Signature-256": { required: true, description: "`sha256=<hex>`: the HMAC-SHA256 of `<X-Signature-Timestamp>.<raw body>` under the webhook secret.", schema: str({ pattern: "^sha256=[0-9a-f]{64}$" }) },
      "X-Signature-Timestamp": { required: true, description: "When the request was signed, in unix seconds; within five minutes of the server's clock.", schema: str({ pattern: "^[0-9]{1,12}$" }) },
    },
    body: { required: true, content: json("ContentEvent") },
    responses: { 202: ok("The bus took the event.", "ContentAccepted") },
    errors: {
      400: BAD_JSON,
      401: "`invalid_signature`: the signature is missing or wrong; `missing_timestamp`, `invalid_timestamp`: no or a malformed X-Signature-Timestamp; `stale_signature`: the timestamp is more than five minutes away (a replay).",
      413: "`body_too_large`: events over 64 KB.",
      422: "`invalid_event`, with `fields`: the event is not valid. A link (`item.url`, `item.registrationUrl`) with spaces or non-ASCII characters is percent-encoded and accepted; one that cannot be fixed that way (not http(s), a bad host or port, a user name or password, tabs or line breaks, over 2,000 characters) is refused, naming the field.",
      503: "`bus_unavailable`, with `Retry-After`: the bus did not take the event; retrying is safe.",
    },
  },
  "POST /api/staff/digests/run": {
    summary: "Run a digest now",
    description:
      "`{\"cadence\":\"daily\"|\"weekly\"|\"monthly\"}` plans the current period's digest now (a day, an ISO week or a month, on the Stockholm calendar), as the schedule would; a period with no new content sends nothing and opens no campaign (the run says `nothingNew`); planning happens on the plan queue. Running a period again plans only subscribers not yet planned for it. Audited before it is queued.",
    body: { required: true, content: json("RunDigestRequest") },
    responses: { 202: ok("Queued: the run's id and where to follow it.", "DigestRunQueued") },
    errors: { 400: `\`invalid_request\`, with \`fields\`. ${BAD_JSON}` },
  },
  "GET /api/staff/runs": {
    summary: "Latest digest runs",
    description: "The latest digest runs, newest first, each with its campaign's state and counters.",
    query: { limit: limit(20, 100) },
    responses: { 200: ok("The runs.", "RunList") },
    errors: { 400: "`validation_failed`, with `fields`: a bad `limit`." },
  },
  "GET /api/staff/runs/{id}": {
    summary: "A digest run",
    description:
      "A run's `state` (queued, planning, sending, paused, cancelled, done, failed) and `{ planned, sent, skipped, failed }`; `skipped` includes subscribers whose digest was empty. `warnings` names the items the run left out because they cannot be put into an email; a run fails only when nothing could be sent, and `error` says why.",
    responses: { 200: ok("The run.", "RunStatus") },
    errors: { 404: "`run_not_found`." },
  },
  "POST /api/staff/runs/{id}/resume": {
    summary: "Resume a paused digest run",
    description:
      "A digest run pauses by itself when SES's complaints or hard bounces pass the limit (`pausedReason` says which, with the figures); its batches stay frozen. This sends the rest: the batches not yet sent are enqueued at once, and each recipient still gets the digest at most once. The automatic pause then measures only what is sent from here on. Runs of the same period share its campaign, so resuming one resumes the period's digest. Publishers only; audited.",
    responses: { 200: ok("Sending again, with how much was still to send.", "RunControlOutcome") },
    errors: { 404: "`run_not_found`.", 409: "`not_paused`: the run is not paused (the message says what it is)." },
  },
  "POST /api/staff/runs/{id}/cancel": {
    summary: "Cancel the rest of a digest run",
    description:
      "Stops a paused or sending digest run: the batches not yet sent are completed with their recipients skipped (`cancelled`), so `skipped` grows by `unsentRecipients` as the sender settles them. 200 with the state, also on a repeat (then with zero). Publishers only; audited.",
    responses: { 200: ok("Cancelled, with how much was still to send.", "RunControlOutcome") },
    errors: { 404: "`run_not_found`.", 409: "`not_active`: the run is done, failed or not planned yet." },
  },
  "GET /api/staff/stats": {
    summary: "Per-mission statistics",
    description:
      "Per mission and Stockholm day: subscribers at the day's end and who joined, left and unsubscribed, emails sent to its followers, bounces and complaints. For the console's charts and `mm stats`. `retention` is the last daily retention sweep (`at`, `counts` per category: `pendingSignUps`, `unsubscribedErased`, `deliveriesDeleted`, `batchesCompacted`, `auditPseudonymised`, and `more`, the categories it left work in for the next run), or null before the first.",
    query: {
      days: { description: "How many days back, 30 by default (1 to 366).", schema: { type: "integer", minimum: 1, maximum: 366, default: 30 } },
      missions: { description: "Comma-separated mission ids; every mission when left out.", schema: str() },
    },
    responses: { 200: ok("The charts' numbers and the last retention sweep.") },
    errors: { 400: "`invalid_days`." },
  },
  "GET /api/staff/health": {
    summary: "The service's health",
    description:
      "Complaint and bounce rates over the last 7 and 30 Stockholm days against their thresholds (complaints: Gmail's and Yahoo's 0.1% aim and 0.3% limit; hard bounces: a 2% aim and SES's 5% review) and the announcements' automatic pause; the addresses the feedback suppressed, by reason; how many messages wait in each dead-letter queue; the latest digest runs; and drafts waiting for a second publisher's approval. Every figure has a `status` (`ok`, `warning`, `over`), and `status` at the top is the worst of them. Read from daily counters, never a scan. For the console's health view and `mm health`.",
    responses: { 200: ok("The figures and their statuses.", "ServiceHealth") },
  },
  "GET /api/staff/unsubscribe-reasons": {
    summary: "Why people left",
    description:
      "The answers to the optional question after unsubscribing, per mission and reason, in a period of days (UTC, both days included): counts per reason, the total, and the free texts given (newest first, at most 50 per mission). Someone who followed two missions counts for each. The answers hold no addresses.",
    query: {
      mission: { description: "One mission's id; every mission when left out.", schema: str() },
      from: { description: "The first day, `YYYY-MM-DD`; 29 days before `to` by default.", schema: str({ format: "date" }) },
      to: { description: "The last day, `YYYY-MM-DD`; today by default. At most 366 days after `from`.", schema: str({ format: "date" }) },
    },
    responses: { 200: ok("The reasons per mission.") },
    errors: { 400: "`validation_failed`, with `fields` naming `from` or `to`.", 404: "`mission_not_found`." },
  },
  "GET /api/staff/audit": {
    summary: "The audit log",
    description: "The audit log of staff actions, newest first: who (`sub` and address), what (action, target id, key fields) and when. `next`, when present, is the `before` of the following page.",
    query: { limit: limit(50, 200), before: cursor("before") },
    responses: { 200: ok("A page of entries.") },
    errors: { 400: "`validation_failed`, with `fields`: a bad `limit` or `before`." },
  },
  "GET /api/staff/announcements": {
    summary: "List announcements",
    description: "Announcements newest first, with state and counters (without their bodies). `next` is the `before` of the next page.",
    query: { limit: limit(20, 50), before: cursor("before") },
    responses: { 200: ok("A page of announcements.") },
    errors: { 400: "`validation_failed`, with `fields`: a bad `limit` or `before`." },
  },
  "POST /api/staff/announcements": {
    summary: "Create an announcement",
    description: `Creates a draft from ${ANNOUNCEMENT_CONTENT} Nothing is stored for a refused request.`,
    body: { required: true, content: json("AnnouncementInput") },
    responses: { 201: { description: "The draft; `Location` names it.", content: json(), headers: { location: "The new announcement's URL." } } },
    errors: { 400: `\`validation_failed\` with \`fields\`. ${BAD_JSON}`, 413: "`body_too_large`: bodies over 192 KB.", 422: "`unknown_missions`: an unknown or retired mission." },
  },
  "POST /api/staff/announcements/preview": {
    summary: "Preview an unsaved draft",
    description: "The same body as creating one, not saved (missions optional): `{ subject, html, text, fallback }` for the console's live preview. Nothing is stored.",
    query: { lang: LANG },
    body: { required: true, content: json("AnnouncementPreviewInput") },
    responses: { 200: ok("The email as a reader of that language gets it.", "AnnouncementPreview") },
    errors: { 400: `\`validation_failed\` with \`fields\`. ${BAD_JSON}`, 413: "`body_too_large`: bodies over 192 KB." },
  },
  "GET /api/staff/announcements/{id}": {
    summary: "An announcement",
    description:
      "The announcement, its `state` (draft, scheduled, sending, paused, cancelled, done), `pausedReason`, `progress: { batches, batchesDone }` and `counters: { audience, sent, failed, skipped, delivered, bounced, complained, unsubscribed }`. Before sending, `audience` is today's estimate (`audienceIsEstimate: true`).",
    responses: { 200: announcementState("The announcement.") },
    errors: ANNOUNCEMENT_ERRORS,
  },
  "PUT /api/staff/announcements/{id}": {
    summary: "Edit an announcement",
    description: "The whole content again (as when creating one) and the `version` read; replaces the content of a draft or a scheduled announcement.",
    body: { required: true, content: json("AnnouncementEdit") },
    responses: { 200: announcementState("The announcement as saved.") },
    errors: {
      ...ANNOUNCEMENT_ERRORS,
      400: `\`validation_failed\` with \`fields\`. ${BAD_JSON}`,
      409: "`version_conflict`: someone changed it since `version`; `not_editable`: sending has started.",
      413: "`body_too_large`: bodies over 192 KB.",
      422: "`unknown_missions`: an unknown or retired mission.",
    },
  },
  "GET /api/staff/announcements/{id}/preview": {
    summary: "Preview an announcement",
    description: "`{ subject, html, text, fallback }` as a reader of that language gets it (`fallback`: the announcement lacks the language, so the other one is shown with a note). Links to preferences and unsubscribing lead to the public site.",
    query: { lang: LANG },
    responses: { 200: ok("The email.", "AnnouncementPreview") },
    errors: ANNOUNCEMENT_ERRORS,
  },
  "POST /api/staff/announcements/{id}/test": {
    summary: "Test-send an announcement",
    description:
      "`{ to: [at most 10 addresses], languages? }` sends a marked test (`[TEST]` before the subject, a banner) to those addresses only, at once, within the account's send rate. Suppressed addresses are left out and counted. The addresses are never stored, queued or logged.",
    body: { required: true, content: json("TestSendInput") },
    responses: { 200: ok("What was sent, counted.", "TestSendResult") },
    errors: {
      ...ANNOUNCEMENT_ERRORS,
      400: `\`validation_failed\` with \`fields\`. ${BAD_JSON}`,
      503: "`send_rate_busy` or `mail_unavailable`, with `Retry-After`: try again shortly.",
    },
  },
  "POST /api/staff/announcements/{id}/checks": {
    summary: "Run the pre-send checks",
    description:
      "Runs every pre-send check on the saved announcement and changes nothing: per language the rendered HTML's size against Gmail's 102 KB clip, the subject's length (10–78 characters), images without alt text, links that are not https or point at a local address or the staff pages; a language missing while some of the audience reads it; the audience per language; and whether the links answer (HEAD, then GET; 3 s each, 4 at a time; only ever warnings, `info` \"not checked\" where links are not requested). `error` blocks a send, `warning` needs `acknowledgeWarnings`. Also the four-eyes status (`approval.next`: who must act).",
    responses: { 200: ok("Every finding, the audience and the approval status.", "ChecksReport") },
    errors: ANNOUNCEMENT_ERRORS,
  },
  "POST /api/staff/announcements/{id}/approve": {
    summary: "Approve (or refuse) an announcement",
    description:
      "A publisher's decision on a draft: `{}` approves it, `{ \"decision\": \"refuse\", \"reason\": \"…\" }` refuses it. A send or schedule to more than APPROVAL_THRESHOLD recipients (100 by default) needs an approval by a publisher other than the author of the last edit; any edit voids it. Each approval, refusal and void is in the audit log. Approving again answers 200 with the state.",
    body: { content: json("ApprovalInput") },
    responses: { 200: announcementState("The announcement, with its `review`.") },
    errors: {
      ...ANNOUNCEMENT_ERRORS,
      400: `\`validation_failed\` with \`fields\` (a refusal needs a \`reason\`). ${BAD_JSON}`,
      403: "`four_eyes`: the caller wrote the last edit; the decision must come from another publisher.",
      409: "`not_reviewable`: only drafts are approved or refused; `version_conflict`.",
    },
  },
  "POST /api/staff/announcements/{id}/refuse": {
    summary: "Refuse an announcement",
    description: "`{ \"reason\": \"…\" }`: a publisher other than the last editor refuses a draft, saying why (it voids an approval). The author's next edit clears it.",
    body: { required: true, content: json("ApprovalInput") },
    responses: { 200: announcementState("The announcement, with its `review`.") },
    errors: {
      ...ANNOUNCEMENT_ERRORS,
      400: `\`validation_failed\` with \`fields\`: \`reason\` is required. ${BAD_JSON}`,
      403: "`four_eyes`: the caller wrote the last edit.",
      409: "`not_reviewable`: only drafts are refused.",
    },
  },
  "POST /api/staff/announcements/{id}/send": {
    summary: "Send or schedule an announcement",
    description:
      "`{}` sends now; `{ \"at\": \"2026-12-01T09:00\" }` schedules it (Stockholm wall time). A repeat (a double click, a retried request) answers 200 with the current state and never sends twice. Sending again with another `at` reschedules; sending without `at` sends a scheduled one now. Before a first send or schedule the pre-send checks run (not the link check): an error refuses it, a warning too unless `acknowledgeWarnings` is true; above APPROVAL_THRESHOLD recipients it needs an approval.",
    body: { content: json("SendInput") },
    responses: { 202: announcementState("Sending, or scheduled."), 200: announcementState("A repeat: the current state.") },
    errors: {
      ...ANNOUNCEMENT_ERRORS,
      400: `\`validation_failed\` with \`fields\`. ${BAD_JSON}`,
      409: "`cancelled`: the announcement was cancelled; `already_sent`: it is being or has been sent, and cannot be scheduled again; `approval_required`: above the threshold, without an approval by a publisher other than the last editor; `warnings_not_acknowledged`: the checks found warnings (named in `fields`) and `acknowledgeWarnings` was not set.",
      422: "`checks_failed`: a pre-send check found an error (named in `fields`, e.g. `checks.link-safety.en`); `nonexistent_time` (in the hour the clocks skip on the last Sunday of March), `ambiguous_time` (in the hour they repeat on the last Sunday of October), `time_in_past`, `time_too_far` (more than a year ahead) or `invalid_time`.",
    },
  },
  "POST /api/staff/announcements/{id}/pause": {
    summary: "Pause a send",
    description: "Holds the batches not yet sent until staff resume or cancel. 200 with the state, also when it was paused already.",
    responses: { 200: announcementState("Paused.") },
    errors: { ...ANNOUNCEMENT_ERRORS, 409: "`not_sending`: nothing is being sent." },
  },
  "POST /api/staff/announcements/{id}/resume": {
    summary: "Resume a send",
    description: "Sends the rest of a paused announcement, enqueuing its remaining batches at once. 200 with the state, also when it was not paused.",
    responses: { 200: announcementState("Sending again.") },
    errors: { ...ANNOUNCEMENT_ERRORS, 409: "`not_paused`." },
  },
  "POST /api/staff/announcements/{id}/cancel": {
    summary: "Cancel an announcement",
    description: "Cancels a draft, a scheduled send (its schedule is deleted) or the rest of a send in progress. 200 with the state, also on a repeat.",
    responses: { 200: announcementState("Cancelled.") },
    errors: { ...ANNOUNCEMENT_ERRORS, 409: "`already_done`: it has been sent to everyone." },
  },
  "GET /api/staff/missions": {
    summary: "List missions (staff)",
    description: "Every mission, retired ones included, each with its `version` for editing.",
    responses: { 200: ok("The missions.", "MissionList") },
  },
  "POST /api/staff/missions": {
    summary: "Add a mission",
    description:
      "`{ id, name: {sv, en}, description: {sv, en}, contact }` adds an active mission, offered on the public pages and in the sign-up widget at once. The id is kebab-case and permanent; the contact is the team's shared inbox (never a person's). Audited.",
    body: { required: true, content: json("NewMission") },
    responses: { 201: { description: "The mission; `Location` names it.", content: json("MissionView"), headers: { location: "The new mission's URL." } } },
    errors: { 400: `\`validation_failed\` with \`fields\`. ${BAD_JSON}`, 409: "`mission_exists`: the id is taken." },
  },
  "GET /api/staff/missions/{id}": {
    summary: "A mission (staff)",
    description: "One mission with its `version`; a retired one also with `retirement` (how far telling its followers has come: the `mission-retired#<id>` campaign's state and counters).",
    responses: { 200: ok("The mission.", "MissionView") },
    errors: { 404: "`mission_not_found`." },
  },
  "PUT /api/staff/missions/{id}": {
    summary: "Edit a mission",
    description: "`{ version, name, description, contact }` replaces them if the mission is still at `version`. Audited, with the fields that changed.",
    body: { required: true, content: json("MissionEdit") },
    responses: { 200: ok("The mission, at its new version.", "MissionView") },
    errors: {
      400: `\`validation_failed\` with \`fields\`. ${BAD_JSON}`,
      404: "`mission_not_found`.",
      409: "`version_conflict`: someone changed it since (reload and edit again); `mission_retired`: a retired mission is not edited.",
    },
  },
  "POST /api/staff/missions/{id}/retire": {
    summary: "Retire a mission",
    description:
      "Stops offering the mission at once and answers 202; the followers are told, once each, and the mission leaves their choices on the plan queue (follow it with `GET /api/staff/missions/{id}`). Retiring again is harmless and emails nobody twice. See docs/operations.md.",
    responses: { 202: ok("Retired; the followers are being told.") },
    errors: { 404: "`mission_not_found`." },
  },
  "POST /api/staff/subscribers/import": {
    summary: "Import subscribers",
    description:
      "`{ importId, dryRun?, rows }` (at most 500 rows, 512 KB) imports subscribers; each row is `{ line, email, language, missions, topics, cadence, consentSource, confirmedAt? }` and is all or nothing. Imported people still confirm unless a row proves an earlier confirmation. The public per-IP sign-up limit does not apply; the per-address one does. Audited with counts only. See \"The ops CLI\" in docs/operations.md.",
    body: { required: true, content: json("ImportRequest") },
    responses: { 200: ok("A result per row (by line) and the counts.") },
    errors: { 400: `\`validation_failed\` with \`fields\`. ${BAD_JSON}`, 413: "`body_too_large`: bodies over 512 KB." },
  },
  "GET /api/staff/subscribers/export": {
    summary: "Export subscribers",
    description: "The active subscribers and their choices (never tokens), a page at a time; `next` is the `after` of the next page. Every page is in the audit log.",
    query: { limit: limit(500, 1000), after: cursor("after") },
    responses: { 200: ok("A page of subscribers.") },
    errors: { 400: "`validation_failed`, with `fields`: a bad `limit` or `after`." },
  },
  "POST /api/staff/migrations/cadence-by-mission": {
    summary: "Migrate subscribers to cadences per mission",
    description:
      "One page of the one-off cadence-by-mission migration (`mm migrate cadence-by-mission` runs every page with a progress bar). Subscribers stored before per-mission cadences need no rewrite (without `cadenceByMission` every mission follows `cadence`); the migration checks each active subscriber's fan-out memberships against their choices and re-writes those that differ. Idempotent. `next` is the `after` of the next page. Every page is in the audit log. See docs/operations.md.",
    body: { required: false, content: json("MigrationRequest") },
    responses: { 200: ok("What the page did: checked, rewritten, changed (changed their choices meanwhile; run again), next.", "MigrationPage") },
    errors: { 400: `\`validation_failed\`, with \`fields\`: a bad \`limit\` or \`after\`, or an unknown field. ${BAD_JSON}` },
  },
  "GET /api/openapi.json": {
    summary: "This document",
    description: "The OpenAPI 3.1 description of the HTTP API, built from the route table and the request schemas the handlers validate with.",
    responses: { 200: ok("The OpenAPI document.", { type: "object" }) },
  },
};
