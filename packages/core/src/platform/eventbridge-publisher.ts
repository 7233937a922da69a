import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { EventPublisher } from "./ports";

/**
 * EventBridge implementation of the event publisher. PutEvents answers 200 even when entries fail,
 * so the failed-entry count is checked and any failure is thrown: a caller that answers "accepted"
 * after this returns has really put the events on the bus.
 */
export class EventBridgePublisher implements EventPublisher {
  private readonly client: EventBridgeClient;

  constructor(
    options: { region: string },
    private readonly busName: string,
  ) {
    this.client = new EventBridgeClient({ region: options.region });
  }

  async publish(events: { source: string; detailType: string; detail: unknown }[]): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: events.map((e) => ({ EventBusName: this.busName, Source: e.source, DetailType: e.detailType, Detail: JSON.stringify(e.detail) })),
      }),
    );
    if (out.FailedEntryCount) {
      const reasons = (out.Entries ?? []).filter((e) => e.ErrorCode).map((e) => `${e.ErrorCode}: ${e.ErrorMessage}`);
      throw new Error(`EventBridge refused ${out.FailedEntryCount} of ${events.length} events (${reasons.join("; ")})`);
    }
  }
}
