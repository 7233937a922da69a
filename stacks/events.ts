import { EventBus, type StackContext } from "sst/constructs";

/** The construct id of the app's bus; SST names the bus `<stage>-<app>-<id>`. */
export const BUS_ID = "Bus";

/**
 * The app's own event bus, for domain events (`content.published`, `subscription.confirmed`).
 * SES feedback arrives on the account's default bus instead (see stacks/mail.ts).
 */
export function Events({ stack }: StackContext) {
  const bus = new EventBus(stack, BUS_ID);
  stack.addOutputs({ BusName: bus.eventBusName });
  return { bus };
}
