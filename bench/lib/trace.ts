import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { LocalQueue } from "@mission-mail/local/queue";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoOutbox } from "@mission-mail/core/campaigns/dynamo-outbox";
import { DynamoDigestRuns } from "@mission-mail/core/digest/dynamo-digest-runs";
import { DynamoSubscriberStore } from "@mission-mail/core/subscription/dynamo-subscriber-store";
import { DynamoContentStore } from "@mission-mail/core/content/dynamo-content-store";
import { DynamoSendPacer } from "@mission-mail/core/campaigns/dynamo-send-pacer";
import { SesMailer } from "@mission-mail/core/campaigns/ses-mailer";

/** Calls of one traced method: how many, their summed latency, and the span from first start to last end. */
export interface Span {
  calls: number;
  errors: number;
  /** Sum of the calls' own durations (with calls in parallel, more than the wall time). */
  totalMs: number;
  firstStartMs: number;
  lastEndMs: number;
  /** For methods that take many things at once (putVariants): how many, summed over the calls. */
  items?: number;
}

/** Methods whose every call is kept as an interval, to reconstruct the planner's timeline. */
const KEEP_INTERVALS = new Set(["outbox.putVariant", "outbox.putVariants", "outbox.putParts", "outbox.freezeBatches"]);

const spans = new Map<string, Span>();
const intervals = new Map<string, [number, number][]>();
const caller = new AsyncLocalStorage<string>();
let origin = performance.now();

function record(name: string, start: number, failed: boolean, items?: number) {
  const end = performance.now();
  const s = spans.get(name) ?? { calls: 0, errors: 0, totalMs: 0, firstStartMs: Infinity, lastEndMs: 0 };
  s.calls += 1;
  if (failed) s.errors += 1;
  s.totalMs += end - start;
  s.firstStartMs = Math.min(s.firstStartMs, start - origin);
  s.lastEndMs = Math.max(s.lastEndMs, end - origin);
  if (items !== undefined) s.items = (s.items ?? 0) + items;
  spans.set(name, s);
  if (KEEP_INTERVALS.has(name)) {
    const list = intervals.get(name) ?? [];
    list.push([start - origin, end - origin]);
    intervals.set(name, list);
  }
}

function wrap(proto: object, method: string, name: string, itemsOf?: (args: unknown[]) => number): void {
  const target = proto as Record<string, unknown>;
  const original = target[method] as (...args: unknown[]) => Promise<unknown>;
  if (typeof original !== "function") throw new Error(`Cannot trace ${name}: no such method`);
  target[method] = function (this: unknown, ...args: unknown[]) {
    // The outermost traced method is the one DynamoDB requests are attributed to.
    const run = async () => {
      const start = performance.now();
      try {
        const out = await original.apply(this, args);
        record(name, start, false, itemsOf?.(args));
        return out;
      } catch (err) {
        record(name, start, true);
        throw err;
      }
    };
    return caller.getStore() ? run() : caller.run(name, run);
  };
}

/** Which function a piece of work runs in: the plan queue's consumer, the send queue's, or anything else. */
export type Phase = "planner" | "sender" | "other";
const PHASE_OF_QUEUE: Record<string, Phase> = { "plan-queue": "planner", "send-queue": "sender" };
const phase = new AsyncLocalStorage<Phase>();

/** DynamoDB requests of one phase: how many of each operation, and the capacity units DynamoDB reported. */
export interface PhaseCount {
  requests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  /** Requests whose answer carried no ConsumedCapacity (an emulator that does not report it). */
  unreported: number;
  /** Invocations of the phase's function (queue consumer), and their summed wall time. */
  invocations: number;
  invocationSeconds: number;
  /** Bytes the phase's code wrote to standard output: its log lines, which CloudWatch Logs would ingest. */
  logBytes: number;
}
const emptyPhase = (): PhaseCount => ({ requests: {}, readUnits: 0, writeUnits: 0, unreported: 0, invocations: 0, invocationSeconds: 0, logBytes: 0 });
let counts: Record<Phase, PhaseCount> = { planner: emptyPhase(), sender: emptyPhase(), other: emptyPhase() };
let mjmlCompilations = 0;

/** Operations that take ReturnConsumedCapacity. */
const REPORTS_CAPACITY = new Set(["GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems", "Get", "Put", "Update", "Delete", "BatchGet", "BatchWrite", "TransactGet", "TransactWrite"]);

interface Capacity {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  CapacityUnits?: number;
}

function countRequest(operation: string, consumed: Capacity | Capacity[] | undefined, writes: boolean) {
  const c = counts[phase.getStore() ?? "other"];
  c.requests[operation] = (c.requests[operation] ?? 0) + 1;
  if (!consumed) {
    c.unreported += 1;
    return;
  }
  for (const part of Array.isArray(consumed) ? consumed : [consumed]) {
    // DynamoDB reports read and write units apart for some operations and only a total for others.
    const read = part.ReadCapacityUnits ?? 0;
    const write = part.WriteCapacityUnits ?? 0;
    const rest = (part.CapacityUnits ?? 0) - read - write;
    c.readUnits += read + (writes ? 0 : Math.max(0, rest));
    c.writeUnits += write + (writes ? Math.max(0, rest) : 0);
  }
}

const WRITE_OPERATIONS = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);
const OPERATION: Record<string, string> = { Get: "GetItem", Put: "PutItem", Update: "UpdateItem", Delete: "DeleteItem", BatchGet: "BatchGetItem", BatchWrite: "BatchWriteItem", TransactGet: "TransactGetItems", TransactWrite: "TransactWriteItems" };

/**
 * Counts MJML compilations: mjml's entry point calls mjml-core's default export through the module
 * object on every call, so replacing that export with a counting wrapper sees each one, whoever
 * imports mjml and however (the product's dynamic import included). Behaviour is unchanged.
 */
function countMjml(): void {
  const require = createRequire(fileURLToPath(import.meta.url));
  try {
    const core = require(require.resolve("mjml-core", { paths: [require.resolve("mjml")] })) as { default: (...args: unknown[]) => unknown };
    const original = core.default;
    core.default = function (this: unknown, ...args: unknown[]) {
      mjmlCompilations += 1;
      return original.apply(this, args);
    };
  } catch {
    /* mjml not installed: nothing compiles */
  }
}

/** Runs each queue consumer invocation in its phase, counting invocations and their wall time. */
function tagQueues(): void {
  const proto = LocalQueue.prototype as unknown as { invoke: (batch: unknown[]) => Promise<void> };
  const invoke = proto.invoke;
  proto.invoke = function (this: { name: string }, batch) {
    const p = PHASE_OF_QUEUE[this.name] ?? "other";
    return phase.run(p, async () => {
      const start = performance.now();
      try {
        return await invoke.call(this, batch);
      } finally {
        counts[p].invocations += 1;
        counts[p].invocationSeconds += (performance.now() - start) / 1000;
      }
    });
  };
}

/** Counts the bytes each phase logs (the handlers' structured logs go to standard output, as in Lambda). */
function countLogs(): void {
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    const p = phase.getStore();
    if (p) counts[p].logBytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
}

let installed = false;

/**
 * Times the adapters' methods (planner and sender) and every DynamoDB request, by command and by the
 * adapter method that made it, by wrapping their prototypes in this process. The product code is
 * unchanged; the cost is a clock read per call.
 */
export function installTrace(): void {
  if (installed) return;
  installed = true;
  countMjml();
  tagQueues();
  countLogs();
  for (const m of ["audience", "getSubscribers", "suppressedAmong", "listMissions"]) wrap(DynamoSubscriberStore.prototype, m, `store.${m}`);
  for (const m of ["upcomingSeminars", "articlesBetween"]) wrap(DynamoContentStore.prototype, m, `content.${m}`);
  const outbox = ["openCampaign", "takePlanLease", "releasePlanLease", "plannedRecipients", "putVariant", "putVariants", "getVariant", "putParts", "getParts", "freezeBatches", "addPlanned", "leaseBatch", "getCampaign", "recordDeliveries", "completeBatch", "saveProgress"];
  for (const m of outbox) {
    if (typeof (DynamoOutbox.prototype as unknown as Record<string, unknown>)[m] !== "function") continue;
    wrap(DynamoOutbox.prototype, m, `outbox.${m}`, m === "putVariants" ? (args) => (args[1] as unknown[]).length : undefined);
  }
  for (const m of ["putRun", "getRun"]) wrap(DynamoDigestRuns.prototype, m, `runs.${m}`);
  wrap(DynamoSendPacer.prototype, "reserve", "pacer.reserve");
  wrap(SesMailer.prototype, "sendBulk", "ses.sendBulk");
  wrap(SesMailer.prototype, "send", "ses.send");
  const proto = DynamoDBDocumentClient.prototype as unknown as { send: (command: { constructor: { name: string } }, ...rest: unknown[]) => Promise<unknown> };
  const send = proto.send;
  proto.send = async function (this: unknown, command, ...rest) {
    const start = performance.now();
    const short = command.constructor.name.replace(/Command$/, "");
    const name = `dynamodb.${short}@${caller.getStore() ?? "other"}`;
    // Asking DynamoDB for the capacity a request consumed changes nothing else about it.
    const input = (command as unknown as { input?: Record<string, unknown> }).input;
    if (input && REPORTS_CAPACITY.has(short) && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = "TOTAL";
    try {
      const out = await send.call(this, command, ...rest);
      record(name, start, false);
      const operation = OPERATION[short] ?? short;
      countRequest(operation, (out as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity, WRITE_OPERATIONS.has(operation));
      return out;
    } catch (err) {
      record(name, start, true);
      throw err;
    }
  };
}

/** Starts a fresh trace; times are relative to now. */
export function resetTrace(): void {
  counts = { planner: emptyPhase(), sender: emptyPhase(), other: emptyPhase() };
  mjmlCompilations = 0;
  spans.clear();
  intervals.clear();
  origin = performance.now();
}

export function traceSnapshot(): Record<string, Span> {
  return Object.fromEntries([...spans].map(([k, v]) => [k, { ...v, totalMs: Math.round(v.totalMs), firstStartMs: Math.round(v.firstStartMs), lastEndMs: Math.round(v.lastEndMs) }]));
}

export function traceIntervals(name: string): [number, number][] {
  return [...(intervals.get(name) ?? [])].sort((a, b) => a[0] - b[0]);
}

/** DynamoDB requests and capacity by phase, queue consumer invocations, and MJML compilations since the last reset. */
export function countSnapshot(): { phases: Record<Phase, PhaseCount>; mjmlCompilations: number } {
  return { phases: JSON.parse(JSON.stringify(counts)) as Record<Phase, PhaseCount>, mjmlCompilations };
}
