import { randomUUID } from "node:crypto";
import type { Context, EventBridgeEvent } from "aws-lambda";
import type { EventPublisher } from "@mission-mail/core/platform/ports";
import { localContext } from "./queue";

type EventHandler = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<void>;

export interface LocalRule {
  name: string;
  source: string;
  detailTypes?: string[];
  handler: () => Promise<EventHandler>;
}

export interface FailedEvent {
  rule: string;
  event: EventBridgeEvent<string, unknown>;
  reason: string;
}

/**
 * The local stand-in for the app's EventBridge bus and its rules: an event that matches a rule's
 * source and detail-type invokes the target handler asynchronously with the EventBridge event shape,
 * as an async Lambda invocation would, retried twice on failure and then kept as a failed event.
 */
export class LocalBus implements EventPublisher {
  readonly failed: FailedEvent[] = [];
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private refusals: string[] = [];

  constructor(
    private readonly rules: LocalRule[],
    private readonly options: { retryDelayMs: number; onFailed?: (f: FailedEvent) => void } = { retryDelayMs: 1000 },
  ) {}

  async publish(events: { source: string; detailType: string; detail: unknown }[]): Promise<void> {
    const refused = events.map(() => this.refusals.shift()).filter((r): r is string => r !== undefined);
    // As PutEvents does: an entry can fail while the call itself succeeds; the publisher port throws.
    if (refused.length) throw new Error(`The event bus refused ${refused.length} of ${events.length} events (${refused.join("; ")})`);
    for (const e of events) {
      const event: EventBridgeEvent<string, unknown> = {
        version: "0",
        id: randomUUID(),
        "detail-type": e.detailType,
        source: e.source,
        account: "000000000000",
        time: new Date().toISOString(),
        region: "eu-north-1",
        resources: [],
        detail: JSON.parse(JSON.stringify(e.detail)),
      };
      for (const rule of this.rules) {
        if (rule.source === e.source && (!rule.detailTypes || rule.detailTypes.includes(e.detailType))) void this.deliver(rule, event);
      }
    }
  }

  /** Makes the next `count` published entries fail, as PutEvents' failed entries do (for tests). */
  refuseNext(count: number, reason = "InternalFailure: local bus refused the entry"): void {
    for (let i = 0; i < count; i++) this.refusals.push(reason);
  }

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves once no event is being delivered. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async deliver(rule: LocalRule, event: EventBridgeEvent<string, unknown>): Promise<void> {
    this.inFlight += 1;
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, this.options.retryDelayMs));
        try {
          await (await rule.handler())(event, localContext(rule.name));
          return;
        } catch (err) {
          if (attempt === 2) {
            const failed = { rule: rule.name, event, reason: (err as Error).message };
            this.failed.push(failed);
            this.options.onFailed?.(failed);
          }
        }
      }
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((w) => w());
    }
  }
}
