/**
 * What 100,000 digests cost in AWS apart from SES itself, from the requests the bench counted on the
 * local stack. The prices are eu-north-1 list prices as we know them (see PRICES); they must be checked
 * against the AWS price list before anyone relies on the figures. Quantities are per recipient, so
 * the same model serves any audience size.
 */
import { DEFAULT_MEMORY_MB, PLANNER_MEMORY_MB, SENDER_BATCH_SIZE, SENDER_MAX_CONCURRENCY } from "../../stacks/sizes";

/** eu-north-1 (Stockholm) list prices, USD. From memory of the public price pages; check them against the AWS price list. */
export const PRICES = {
  region: "eu-north-1",
  /** The price list these figures reflect: DynamoDB on-demand after its reduction of 2024-11-01. */
  asOf: "2024-11-01",
  /** DynamoDB on-demand, per million write / read request units (standard table class). */
  dynamoWriteMillion: 0.6625,
  dynamoReadMillion: 0.1325,
  /** Lambda on arm64, per GB-second and per million requests. */
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequestMillion: 0.2,
  /** SQS standard queues, per million requests (each 64 KB chunk of a request counts as one). */
  sqsRequestMillion: 0.4,
  /** EventBridge custom events, per million; events from AWS services (SES's) on the default bus are free. */
  eventBridgeCustomMillion: 1.0,
  /** EventBridge Scheduler, per million invocations. */
  schedulerMillion: 1.0,
  /** CloudWatch Logs standard ingestion, per GB. */
  logsIngestedGb: 0.5,
} as const;

/** The goal: everything but SES for 100,000 digests. */
export const COST_GOAL_PER_100K = 0.25;

/** What the bench counted for one digest run (see bench/lib/trace.ts). */
export interface CountedPhase {
  requests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  invocations: number;
  invocationSeconds: number;
  logBytes: number;
}

export interface CostInputs {
  recipients: number;
  batches: number;
  planner: CountedPhase;
  sender: CountedPhase;
  /** The account's SES rate in recipients a second, which bounds how long the senders run in AWS. */
  sesRatePerSecond: number;
}

/**
 * The SES feedback path, which the local bench does not exercise (its SES sink publishes no events):
 * modelled from the code (packages/core/src/feedback/apply-feedback.ts, stacks/mail.ts). The
 * configuration sets publish no Send events, so each digest recipient yields one event on the default
 * bus, a Delivery, which invokes the feedback function. A digest's Delivery is noted on the
 * recipient's delivery record (one UpdateItem of an item under 1 KB: 1 unit) and counted nowhere
 * (only announcements count theirs, `countsDeliveries`). The handler logs Delivery events at debug
 * level, so CloudWatch takes only Lambda's own lines for them.
 */
export const FEEDBACK_MODEL = {
  eventsPerRecipient: 1,
  /** Which events, for the report. */
  events: "Delivery only; Send events are not published",
  writeUnitsPerRecipient: 1,
  /** Duration of one feedback invocation, stated (one DynamoDB round trip of ~5 ms and the handler). */
  invocationSeconds: 0.02,
  /** Lambda's START/END/REPORT lines (~330 bytes) per invocation; the handler's own line is at debug level. */
  logBytesPerEvent: 330,
};

/** Lambda's own START, END and REPORT lines per invocation, which CloudWatch Logs ingests too. */
export const PLATFORM_LOG_BYTES_PER_INVOCATION = 330;

export interface CostLine {
  service: string;
  what: string;
  /** Quantity per 100,000 recipients, in `unit`. */
  quantity: number;
  unit: string;
  usd: number;
}

const PER = 100_000;

/**
 * The cost per 100,000 recipients, line by line. Lambda time: the simulation's (bench/lib/simulation.ts)
 * where given, since the local wall clock is a shared machine's and DynamoDB Local's; otherwise the
 * planner's measured time scaled, and the senders for the whole sending window at the SES rate (they
 * wait for the shared pacer inside their invocations): max(measured, concurrency × recipients / rate).
 */
export function costPer100k(c: CostInputs, simulated?: { plannerSeconds: number; senderSeconds: number }): CostLine[] {
  const plannerSeconds = simulated?.plannerSeconds;
  const scale = PER / Math.max(1, c.recipients);
  const wru = (c.planner.writeUnits + c.sender.writeUnits) * scale;
  const rru = (c.planner.readUnits + c.sender.readUnits) * scale;
  const feedbackWru = PER * FEEDBACK_MODEL.writeUnitsPerRecipient;
  // Planning grows with the content, not the audience: scaling the local time by the audience would
  // overstate it, so the simulation's planner time for 100,000 is used where the caller has it.
  const plannerGbS = (plannerSeconds ?? c.planner.invocationSeconds * scale) * (PLANNER_MEMORY_MB / 1024);
  const senderSeconds = simulated?.senderSeconds ?? Math.max(c.sender.invocationSeconds * scale, (SENDER_MAX_CONCURRENCY * PER) / c.sesRatePerSecond);
  const senderGbS = senderSeconds * (DEFAULT_MEMORY_MB / 1024);
  const feedbackInvocations = PER * FEEDBACK_MODEL.eventsPerRecipient;
  const feedbackGbS = feedbackInvocations * FEEDBACK_MODEL.invocationSeconds * (DEFAULT_MEMORY_MB / 1024);
  const invocations = (c.planner.invocations + c.sender.invocations) * scale;
  // SQS: the planner sends batch pointers ten to a SendMessageBatch; each sender invocation is one
  // receive (of up to SENDER_BATCH_SIZE) and one DeleteMessageBatch. Empty long polls are a fixed
  // cost of having the queue, not of a digest, and are left out.
  const batches = c.batches * scale;
  const sqsRequests = batches / 10 + 2 * Math.max(c.sender.invocations * scale, batches / SENDER_BATCH_SIZE);
  const logBytes = ((c.planner.logBytes ?? 0) + (c.sender.logBytes ?? 0)) * scale + invocations * PLATFORM_LOG_BYTES_PER_INVOCATION;
  const feedbackLogBytes = feedbackInvocations * FEEDBACK_MODEL.logBytesPerEvent;
  const line = (service: string, what: string, quantity: number, unit: string, price: number, per: number): CostLine => ({ service, what, quantity, unit, usd: (quantity * price) / per });
  return [
    line("DynamoDB", "write request units, planner and sender (counted)", wru, "WRU", PRICES.dynamoWriteMillion, 1e6),
    line("DynamoDB", "read request units, planner and sender (counted)", rru, "RRU", PRICES.dynamoReadMillion, 1e6),
    line("DynamoDB", "write request units, SES feedback (modelled: a Delivery event notes the recipient's delivery record)", feedbackWru, "WRU", PRICES.dynamoWriteMillion, 1e6),
    line("Lambda", `planner, ${PLANNER_MEMORY_MB} MB arm64 (${plannerSeconds === undefined ? "measured time, scaled" : "simulated time"})`, plannerGbS, "GB-s", PRICES.lambdaArmGbSecond, 1),
    line("Lambda", `senders, ${DEFAULT_MEMORY_MB} MB arm64, ${SENDER_MAX_CONCURRENCY} at once for the sending window at ${c.sesRatePerSecond}/s`, senderGbS, "GB-s", PRICES.lambdaArmGbSecond, 1),
    line("Lambda", `feedback, ${DEFAULT_MEMORY_MB} MB arm64 (modelled: ${FEEDBACK_MODEL.eventsPerRecipient} event${FEEDBACK_MODEL.eventsPerRecipient === 1 ? "" : "s"} a recipient × ${FEEDBACK_MODEL.invocationSeconds * 1000} ms)`, feedbackGbS, "GB-s", PRICES.lambdaArmGbSecond, 1),
    line("Lambda", "requests: planner, sender (counted) and feedback (modelled)", invocations + feedbackInvocations, "requests", PRICES.lambdaRequestMillion, 1e6),
    line("SQS", "send queue: SendMessageBatch, receives and deletes", sqsRequests, "requests", PRICES.sqsRequestMillion, 1e6),
    line("EventBridge", "SES events on the default bus (AWS service events: free)", feedbackInvocations, "events", 0, 1e6),
    line("Scheduler", "the weekly schedule's one invocation", scale > 0 ? 1 : 0, "invocations", PRICES.schedulerMillion, 1e6),
    line("CloudWatch Logs", "planner and sender log lines (counted) and Lambda's per-invocation lines", logBytes / 1024 ** 3, "GB", PRICES.logsIngestedGb, 1),
    line("CloudWatch Logs", "feedback function's lines (modelled: Lambda's own; Delivery logs at debug)", feedbackLogBytes / 1024 ** 3, "GB", PRICES.logsIngestedGb, 1),
  ];
}

/** The total of some lines. */
export const totalUsd = (lines: CostLine[]) => lines.reduce((t, l) => t + l.usd, 0);
