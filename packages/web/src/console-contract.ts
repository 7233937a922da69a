import type consoleCopy from "../../../templates/strings/pages.en.json";

/**
 * What the staff console's page and its script share, in one module that both compile against: the
 * element ids the script looks up, the views, and the shape of the `#console-data` block. It imports
 * nothing but the copy deck's type, so the browser code can use it without the server's.
 */

/** The console's views, each a section `view-<name>` with a heading `<name>-title`. */
export const VIEWS = ["overview", "announcements", "digests"] as const;
export type View = (typeof VIEWS)[number];

/** The languages the console writes announcements in. */
export const CONSOLE_LANGUAGES = ["sv", "en"] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];

/** Every element id the page renders and the script finds. */
export const ID = {
  data: "console-data",
  session: "session",
  sessionWho: "session-who",
  signOut: "sign-out",
  status: "console-status",
  alert: "console-alert",
  signIn: "sign-in",
  signInTitle: "sign-in-title",
  signInError: "sign-in-error",
  signInHosted: "sign-in-hosted",
  tokenForm: "token-form",
  tokenInput: "token-input",
  workspace: "workspace",
  statsDays: "stats-days",
  charts: "charts",
  /** Why people left: the answers after unsubscribing, per mission and reason, in the chosen period. */
  departures: "departures",
  announcementIndex: "announcement-index",
  newAnnouncement: "new-announcement",
  announcementList: "announcement-list",
  announcementTable: "announcement-table",
  editor: "editor",
  backToList: "back-to-list",
  editorHeading: "editor-heading",
  progressCard: "progress-card",
  progressTitle: "progress-title",
  progressState: "progress-state",
  progressText: "progress-text",
  sendProgress: "send-progress",
  scheduledFor: "scheduled-for",
  pausedReason: "paused-reason",
  counters: "counters",
  pause: "pause",
  resume: "resume",
  cancel: "cancel",
  composeErrors: "compose-errors",
  composeForm: "compose-form",
  composeFields: "compose-fields",
  missionsFieldset: "missions-fieldset",
  missionChoices: "mission-choices",
  eventDate: "event-date",
  eventTime: "event-time",
  eventPlace: "event-place",
  ctaUrl: "cta-url",
  saveDraft: "save-draft",
  previewTitle: "preview-title",
  previewStatus: "preview-status",
  sendCard: "send-card",
  sendHint: "send-hint",
  testForm: "test-form",
  testTo: "test-to",
  sendTest: "send-test",
  testError: "test-error",
  sendForm: "send-form",
  sendLater: "send-later",
  sendAtField: "send-at-field",
  sendAt: "send-at",
  reviewSend: "review-send",
  checksCard: "checks-card",
  runChecks: "run-checks",
  checksSummary: "checks-summary",
  checksList: "checks-list",
  ackField: "ack-field",
  ackWarnings: "ack-warnings",
  reviewStatus: "review-status",
  approve: "approve",
  refuseForm: "refuse-form",
  refuseReason: "refuse-reason",
  refuse: "refuse",
  reviewError: "review-error",
  sendError: "send-error",
  runWeekly: "run-weekly",
  runMonthly: "run-monthly",
  runDaily: "run-daily",
  runList: "run-list",
  runTable: "run-table",
  confirmDialog: "confirm-dialog",
  confirmTitle: "confirm-title",
  confirmText: "confirm-text",
  confirmYes: "confirm-yes",
  confirmNo: "confirm-no",
} as const;

/** Ids that carry a view, a language or a record's id. */
export const VIEW_ID = {
  section: (view: View) => `view-${view}`,
  title: (view: View) => `${view}-title`,
} as const;
export const FIELD_ID = {
  title: (l: ConsoleLanguage) => `title-${l}`,
  body: (l: ConsoleLanguage) => `body-${l}`,
  ctaLabel: (l: ConsoleLanguage) => `cta-label-${l}`,
  mission: (missionId: string) => `mission-${missionId}`,
} as const;
export const PREVIEW_ID = {
  heading: (l: ConsoleLanguage) => `preview-${l}-heading`,
  subject: (l: ConsoleLanguage) => `preview-${l}-subject`,
  note: (l: ConsoleLanguage) => `preview-${l}-note`,
  frame: (l: ConsoleLanguage, device: "desktop" | "mobile") => `preview-${l}-${device}`,
} as const;
export const CHART_ID = {
  canvas: (missionId: string) => `chart-${missionId}`,
  title: (missionId: string) => `chart-title-${missionId}`,
} as const;

/**
 * What the console's script needs to sign staff in, all of it public: the Hosted UI and the app
 * client (a public client, no secret) when there is one, and the URLs Cognito returns to.
 */
export interface StaffConsoleSignIn {
  /** The Hosted UI's base URL, where the authorization-code flow with PKCE runs; absent locally. */
  authDomain?: string;
  clientId?: string;
  /** Where the Hosted UI sends the code: `<PUBLIC_URL>/staff/callback`. */
  redirectUri: string;
  /** Where the Hosted UI's sign-out returns to: `<PUBLIC_URL>/staff`. */
  signOutUri: string;
  /** The local cloud: staff sign in with a token from the local issuer. */
  local: boolean;
}

/** The console script's words: the copy deck's `console.client` section, in the page's language. */
export type ConsoleText = (typeof consoleCopy)["console"]["client"];

/** The rates at which an announcement pauses itself (per email sent), which the overview compares against. */
export interface AutoPauseLimits {
  complaintRate: number;
  bounceRate: number;
}

/** What the script reads from the page's `#console-data` block. */
export interface ConsoleData {
  language: ConsoleLanguage;
  signIn: StaffConsoleSignIn;
  autoPause: AutoPauseLimits;
  text: ConsoleText;
}
