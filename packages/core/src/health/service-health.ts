import type { Clock } from "../platform/ports";
import { daysBetween, statsDay, type MissionStats, type ServiceCounter, type ServiceTotals } from "../stats";
import { listRunStatuses, type RunStatus, type RunStatusDeps } from "../digest";
import { lastEditorOf, nameOf, needsApproval, type AnnouncementStore, type Announcement } from "../announcements";
import { DEAD_LETTER_QUEUES, type DeadLetterDepths, type DeadLetterName, type HealthStatus } from "./ports";
import { BOUNCE_THRESHOLD, COMPLAINT_THRESHOLD, SES_BOUNCE_SUSPENSION, rateStatus, worstStatus, type RateThreshold } from "./thresholds";

export interface HealthDeps {
  totals: Pick<ServiceTotals, "read">;
  /** Each mission's subscriber total: an announcement's audience, estimated without reading it. */
  missionStats: Pick<MissionStats, "read">;
  runs: RunStatusDeps;
  announcements: Pick<AnnouncementStore, "listAnnouncements">;
  deadLetters: DeadLetterDepths;
  clock: Clock;
}

export interface HealthSettings {
  /** The rates at which an announcement's send pauses itself (AUTO_PAUSE_COMPLAINT_RATE, AUTO_PAUSE_BOUNCE_RATE). */
  autoPause: { complaintRate: number; bounceRate: number };
  /** The four-eyes threshold (APPROVAL_THRESHOLD). */
  approvalThreshold: number;
}

/** The windows the rates are measured over, in Stockholm days with today included. */
export const HEALTH_WINDOWS = [7, 30] as const;
/** How many digest runs the view lists. */
export const HEALTH_RUNS = 5;
/** How many of the latest announcements are looked through for drafts waiting for an approval. */
export const HEALTH_ANNOUNCEMENTS = 50;
/** A draft waiting for an approval longer than this is a warning: the second publisher may not know. */
export const APPROVAL_WAIT_WARNING_MS = 24 * 3600_000;

/** A rate of feedback per email sent, with its status and whether it is above the automatic pause. */
export interface RateFigure {
  count: number;
  /** Per email sent; null when nothing was sent. */
  rate: number | null;
  status: HealthStatus;
  /** Above the rate at which an announcement pauses itself. */
  overAutoPause: boolean;
}

export interface HealthWindow {
  days: number;
  from: string;
  to: string;
  sent: number;
  complaints: RateFigure;
  bounces: RateFigure;
  softBounces: number;
  /** Addresses the feedback suppressed in the window, by reason. */
  suppressions: { hardBounce: number; softBounces: number; complaint: number; total: number };
  status: HealthStatus;
}

/** One day of the chart. */
export interface HealthDay {
  day: string;
  sent: number;
  complaints: number;
  bounces: number;
  complaintRate: number | null;
  bounceRate: number | null;
}

export interface DeadLetterFigure {
  queue: DeadLetterName;
  /** Messages waiting; null when the queue could not be read. */
  messages: number | null;
  status: HealthStatus;
  error?: string;
}

export interface DigestRunFigure extends RunStatus {
  status: HealthStatus;
}

export interface WaitingAnnouncement {
  id: string;
  title: string;
  missions: string[];
  author: string;
  /** Since its last edit. */
  waitingSince: string;
  /** The audience estimated from the missions' subscriber totals (someone following two counts twice). */
  audienceEstimate: number;
  status: HealthStatus;
}

/** The service's health: every figure with its status, and the worst of them. */
export interface ServiceHealth {
  generatedAt: string;
  status: HealthStatus;
  thresholds: {
    complaints: RateThreshold & { autoPause: number };
    bounces: RateThreshold & { autoPause: number; sesSuspension: number };
    approval: number;
  };
  windows: HealthWindow[];
  daily: HealthDay[];
  deadLetters: DeadLetterFigure[];
  digestRuns: DigestRunFigure[];
  approvals: { waiting: WaitingAnnouncement[]; status: HealthStatus };
}

const rateOf = (count: number, sent: number): number | null => (sent > 0 ? count / sent : null);

function rateFigure(count: number, sent: number, threshold: RateThreshold, autoPause: number): RateFigure {
  const rate = rateOf(count, sent);
  return { count, rate, status: rateStatus(rate, threshold), overAutoPause: rate !== null && rate > autoPause };
}

/** The totals of the days in a window, summed. */
function sumDays(days: string[], rows: Map<string, Partial<Record<ServiceCounter, number>>>): Record<ServiceCounter, number> {
  const sum = { sent: 0, bounced: 0, softBounced: 0, complained: 0, suppressedHardBounce: 0, suppressedSoftBounces: 0, suppressedComplaint: 0 };
  for (const day of days) for (const [name, n] of Object.entries(rows.get(day) ?? {})) if (name in sum) sum[name as ServiceCounter] += n ?? 0;
  return sum;
}

/** A digest run's status: failed is over, paused or cancelled (or with items left out) a warning. */
export function runHealth(run: RunStatus): HealthStatus {
  if (run.state === "failed") return "over";
  return run.state === "paused" || run.state === "cancelled" || run.warnings.length ? "warning" : "ok";
}

async function deadLetterFigures(queues: DeadLetterDepths): Promise<DeadLetterFigure[]> {
  return Promise.all(
    DEAD_LETTER_QUEUES.map(async (queue): Promise<DeadLetterFigure> => {
      try {
        const messages = await queues[queue].deadLetterCount();
        // Every message there failed for good and waits for someone: the monitoring alarm fires at one.
        return { queue, messages, status: messages > 0 ? "over" : "ok" };
      } catch (err) {
        return { queue, messages: null, status: "warning", error: (err as Error).message.slice(0, 200) };
      }
    }),
  );
}

/**
 * Drafts among the latest announcements that wait for a second publisher's approval: not approved,
 * not refused (a refusal waits for the author), and with an audience over the four-eyes threshold.
 * The audience is estimated from the missions' subscriber totals (one read per mission, not the
 * audience itself), an upper bound since someone following two missions counts for each.
 */
async function waitingForApproval(deps: HealthDeps, threshold: number, today: string, now: number): Promise<WaitingAnnouncement[]> {
  const { announcements } = await deps.announcements.listAnnouncements({ limit: HEALTH_ANNOUNCEMENTS });
  const drafts = announcements.filter((a) => a.state === "draft" && !a.approval && !a.refusal);
  const totals = new Map<string, Promise<number>>();
  const totalOf = (mission: string) => {
    if (!totals.has(mission)) totals.set(mission, deps.missionStats.read(mission, today, today).then((r) => r.total));
    return totals.get(mission)!;
  };
  const estimated = await Promise.all(drafts.map(async (a) => ({ a, audience: (await Promise.all([...new Set(a.missions)].map(totalOf))).reduce((n, t) => n + t, 0) })));
  return estimated
    .filter(({ audience }) => needsApproval(audience, threshold))
    .map(({ a, audience }) => ({
      id: a.id,
      title: titleOf(a),
      missions: a.missions,
      author: nameOf(lastEditorOf(a)),
      waitingSince: a.updatedAt,
      audienceEstimate: audience,
      status: now - Date.parse(a.updatedAt) > APPROVAL_WAIT_WARNING_MS ? "warning" : "ok",
    }));
}

const titleOf = (a: Pick<Announcement, "title">) => a.title.sv ?? a.title.en ?? "";

/**
 * The service's health for staff: complaint and bounce rates over the last 7 and 30 Stockholm days
 * against Gmail's and Yahoo's complaint thresholds, SES's bounce review and the announcements'
 * automatic pause; the suppressions the feedback made, by reason; the dead-letter queues' depths;
 * the latest digest runs; and drafts waiting for an approval. Each figure has a status (ok, warning,
 * over), and the whole the worst of them. Reads counters and a few items, never scans: the daily
 * totals are written where mail is sent and feedback counted.
 */
export async function serviceHealth(deps: HealthDeps, settings: HealthSettings): Promise<ServiceHealth> {
  const now = deps.clock.now();
  const longest = Math.max(...HEALTH_WINDOWS);
  const to = statsDay(now);
  const from = statsDay(now - (longest - 1) * 86_400_000);
  const days = daysBetween(from, to);
  const [rows, deadLetters, runs, waiting] = await Promise.all([
    deps.totals.read(from, to),
    deadLetterFigures(deps.deadLetters),
    listRunStatuses(deps.runs, HEALTH_RUNS),
    waitingForApproval(deps, settings.approvalThreshold, to, now),
  ]);

  const windows = HEALTH_WINDOWS.map((n): HealthWindow => {
    const inWindow = days.slice(-n);
    const s = sumDays(inWindow, rows);
    const complaints = rateFigure(s.complained, s.sent, COMPLAINT_THRESHOLD, settings.autoPause.complaintRate);
    const bounces = rateFigure(s.bounced, s.sent, BOUNCE_THRESHOLD, settings.autoPause.bounceRate);
    return {
      days: n,
      from: inWindow[0]!,
      to,
      sent: s.sent,
      complaints,
      bounces,
      softBounces: s.softBounced,
      suppressions: {
        hardBounce: s.suppressedHardBounce,
        softBounces: s.suppressedSoftBounces,
        complaint: s.suppressedComplaint,
        total: s.suppressedHardBounce + s.suppressedSoftBounces + s.suppressedComplaint,
      },
      status: worstStatus([complaints.status, bounces.status]),
    };
  });
  const daily = days.map((day): HealthDay => {
    const r = rows.get(day) ?? {};
    const sent = r.sent ?? 0;
    return { day, sent, complaints: r.complained ?? 0, bounces: r.bounced ?? 0, complaintRate: rateOf(r.complained ?? 0, sent), bounceRate: rateOf(r.bounced ?? 0, sent) };
  });
  const digestRuns = runs.map((run) => ({ ...run, status: runHealth(run) }));
  const approvals = { waiting, status: worstStatus(waiting.map((w) => w.status)) };
  return {
    generatedAt: new Date(now).toISOString(),
    status: worstStatus([...windows.map((w) => w.status), ...deadLetters.map((d) => d.status), ...digestRuns.map((r) => r.status), approvals.status]),
    thresholds: {
      complaints: { ...COMPLAINT_THRESHOLD, autoPause: settings.autoPause.complaintRate },
      bounces: { ...BOUNCE_THRESHOLD, autoPause: settings.autoPause.bounceRate, sesSuspension: SES_BOUNCE_SUSPENSION },
      approval: settings.approvalThreshold,
    },
    windows,
    daily,
    deadLetters,
    digestRuns,
    approvals,
  };
}
