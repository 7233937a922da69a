import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SendPacer } from "./ports";
import { sendPacingKey } from "../platform/table-keys";

const conditionFailed = (err: unknown) => (err as { name?: string })?.name === "ConditionalCheckFailedException";

/**
 * The account-wide send rate as one DynamoDB item shared by every sender, so the limit holds however
 * many consumers run. It keeps a "theoretical arrival time" (GCRA): a reservation of n recipients
 * starts at max(tat, now) and moves tat on by n / rate. Recipients are counted, not calls, so a
 * 50-recipient bulk call reserves 50 slots.
 *
 * A reservation is one atomic UpdateItem, not a read and a conditional write: while the bucket is
 * busy, `SET tat = tat + cost` books the next slot and returns it; when it is idle, a second update
 * starts it at now. DynamoDB serialises updates to the item, so concurrent senders never get the
 * same slot and never retry against each other.
 */
export class DynamoSendPacer implements SendPacer {
  /** Whether the bucket was idle last time: at high rates it mostly is, so that update is tried first. */
  private idleLastTime = false;
  /** Reservations that arrived while one was in flight: booked together, in one update, when it returns. */
  private waiting: Waiting[] = [];
  private inFlight = false;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ratePerSecond: number,
  ) {}

  /**
   * Reservations made while another of this process is in flight wait for it and are then booked
   * together, with one update for the lot, each given its own consecutive slot: a sender with many
   * batches in flight makes about one request per round, not one per batch (plus a retry whenever
   * another process moved the bucket in between). Each keeps its own limit: the lot is booked only
   * if every one of them would start within its longest wait, and otherwise each is tried alone.
   */
  reserve(recipients: number, nowMs: number, maxWaitMs: number): Promise<{ startAt: number } | { retryAfterMs: number }> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ recipients, nowMs, maxWaitMs, resolve, reject });
      if (!this.inFlight) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.inFlight = true;
    try {
      while (this.waiting.length) {
        const group = this.waiting;
        this.waiting = [];
        if (group.length === 1) {
          await settle(group[0]!, () => this.reserveOne(group[0]!.recipients, group[0]!.nowMs, group[0]!.nowMs + group[0]!.maxWaitMs, group[0]!.maxWaitMs));
          continue;
        }
        // Consecutive slots: each one starts where the one before it ends, all from the lot's start.
        const offsets: number[] = [];
        let total = 0;
        for (const r of group) {
          offsets.push(this.cost(total));
          total += r.recipients;
        }
        const nowMs = Math.max(...group.map((r) => r.nowMs));
        const latest = Math.min(...group.map((r, i) => r.nowMs + r.maxWaitMs - offsets[i]!));
        let booked: { startAt: number } | { retryAfterMs: number } | undefined;
        try {
          booked = latest >= nowMs ? await this.reserveOne(total, nowMs, latest, Math.min(...group.map((r) => r.maxWaitMs))) : undefined;
        } catch (err) {
          for (const r of group) r.reject(err);
          continue;
        }
        if (booked && "startAt" in booked) {
          const start = booked.startAt;
          group.forEach((r, i) => r.resolve({ startAt: start + offsets[i]! }));
          continue;
        }
        // Not all of them fit: one at a time, each against its own limit.
        for (const r of group) await settle(r, () => this.reserveOne(r.recipients, r.nowMs, r.nowMs + r.maxWaitMs, r.maxWaitMs));
      }
    } finally {
      this.inFlight = false;
    }
  }

  private cost(recipients: number): number {
    return (recipients * 1000) / this.ratePerSecond;
  }

  /** Books `recipients` slots starting no later than `latestStartMs`, with one atomic update (two when the bucket changed between idle and busy). */
  private async reserveOne(recipients: number, nowMs: number, latestStartMs: number, maxWaitMs: number): Promise<{ startAt: number } | { retryAfterMs: number }> {
    const cost = this.cost(recipients);
    const busy = async () => {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: sendPacingKey(),
          UpdateExpression: "SET tat = tat + :cost",
          ConditionExpression: "tat >= :now AND tat <= :latest",
          ExpressionAttributeValues: { ":cost": cost, ":now": nowMs, ":latest": latestStartMs },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      return (out.Attributes!.tat as number) - cost;
    };
    const idle = async () => {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: sendPacingKey(),
          UpdateExpression: "SET tat = :next, #t = :type",
          ConditionExpression: "attribute_not_exists(tat) OR tat < :now",
          ExpressionAttributeNames: { "#t": "type" },
          ExpressionAttributeValues: { ":next": nowMs + cost, ":now": nowMs, ":type": "pacing" },
        }),
      );
      return nowMs;
    };
    for (let attempt = 0; attempt < 10; attempt++) {
      // Busy bucket: book the slot after the last one, unless that is too far away. Idle bucket (or
      // none yet): start now. Whichever was true last time is tried first.
      for (const [isIdle, update] of (this.idleLastTime ? [[true, idle], [false, busy]] : [[false, busy], [true, idle]]) as [boolean, () => Promise<number>][]) {
        try {
          const startAt = await update();
          this.idleLastTime = isIdle;
          return { startAt };
        } catch (err) {
          if (!conditionFailed(err)) throw err;
        }
      }
      // Neither: the bucket is booked beyond the longest wait, or another sender moved it between the two.
      const current = await this.db.send(new GetCommand({ TableName: this.table, Key: sendPacingKey(), ConsistentRead: true }));
      const tat = (current.Item?.tat as number | undefined) ?? nowMs;
      if (tat > latestStartMs) return { retryAfterMs: Math.max(1, tat - nowMs - maxWaitMs / 2) };
    }
    throw new Error("Send pacer: too many concurrent reservations");
  }
}

interface Waiting {
  recipients: number;
  nowMs: number;
  maxWaitMs: number;
  resolve: (r: { startAt: number } | { retryAfterMs: number }) => void;
  reject: (err: unknown) => void;
}

async function settle(r: Waiting, book: () => Promise<{ startAt: number } | { retryAfterMs: number }>): Promise<void> {
  try {
    r.resolve(await book());
  } catch (err) {
    r.reject(err);
  }
}
