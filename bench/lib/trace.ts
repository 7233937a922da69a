import { AsyncLocalStorage } from "node:async_hooks";
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
}

/** Methods whose every call is kept as an interval, to reconstruct the planner's timeline. */
const KEEP_INTERVALS = new Set(["outbox.putVariant", "outbox.freezeBatches"]);

const spans = new Map<string, Span>();
const intervals = new Map<string, [number, number][]>();
const caller = new AsyncLocalStorage<string>();
let origin = performance.now();

function record(name: string, start: number, failed: boolean) {
  const end = performance.now();
  const s = spans.get(name) ?? { calls: 0, errors: 0, totalMs: 0, firstStartMs: Infinity, lastEndMs: 0 };
  s.calls += 1;
  if (failed) s.errors += 1;
  s.totalMs += end - start;
  s.firstStartMs = Math.min(s.firstStartMs, start - origin);
  s.lastEndMs = Math.max(s.lastEndMs, end - origin);
  spans.set(name, s);
  if (KEEP_INTERVALS.has(name)) {
    const list = intervals.get(name) ?? [];
    list.push([start - origin, end - origin]);
    intervals.set(name, list);
  }
}

function wrap(proto: object, method: string, name: string): void {
  const target = proto as Record<string, unknown>;
  const original = target[method] as (...args: unknown[]) => Promise<unknown>;
  if (typeof original !== "function") throw new Error(`Cannot trace ${name}: no such method`);
  target[method] = function (this: unknown, ...args: unknown[]) {
    // The outermost traced method is the one DynamoDB requests are attributed to.
    const run = async () => {
      const start = performance.now();
      try {
        const out = await original.apply(this, args);
        record(name, start, false);
        return out;
      } catch (err) {
        record(name, start, true);
        throw err;
      }
    };
    return caller.getStore() ? run() : caller.run(name, run);
  };
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
  for (const m of ["audience", "getSubscribers", "suppressedAmong", "listMissions"]) wrap(DynamoSubscriberStore.prototype, m, `store.${m}`);
  for (const m of ["upcomingSeminars", "articlesBetween"]) wrap(DynamoContentStore.prototype, m, `content.${m}`);
  const outbox = ["openCampaign", "takePlanLease", "releasePlanLease", "plannedRecipients", "putVariant", "getVariant", "freezeBatches", "addPlanned", "leaseBatch", "getCampaign", "completeBatch", "saveProgress"];
  for (const m of outbox) if (typeof (DynamoOutbox.prototype as unknown as Record<string, unknown>)[m] === "function") wrap(DynamoOutbox.prototype, m, `outbox.${m}`);
  for (const m of ["putRun", "getRun"]) wrap(DynamoDigestRuns.prototype, m, `runs.${m}`);
  wrap(DynamoSendPacer.prototype, "reserve", "pacer.reserve");
  wrap(SesMailer.prototype, "sendBulk", "ses.sendBulk");
  wrap(SesMailer.prototype, "send", "ses.send");
  const proto = DynamoDBDocumentClient.prototype as unknown as { send: (command: { constructor: { name: string } }, ...rest: unknown[]) => Promise<unknown> };
  const send = proto.send;
  proto.send = async function (this: unknown, command, ...rest) {
    const start = performance.now();
    const name = `dynamodb.${command.constructor.name.replace(/Command$/, "")}@${caller.getStore() ?? "other"}`;
    try {
      const out = await send.call(this, command, ...rest);
      record(name, start, false);
      return out;
    } catch (err) {
      record(name, start, true);
      throw err;
    }
  };
}

/** Starts a fresh trace; times are relative to now. */
export function resetTrace(): void {
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
