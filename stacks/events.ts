import { EventBus, type StackContext } from "sst/constructs";

/**
 * The app's own event bus, for domain events (`content.published`, `subscription.confirmed`).
 * SES feedback arrives on the account's default bus instead (see stacks/mail.ts).
 */
export function Events({ stack }: StackContext) {
  const bus = new EventBus(stack, "Bus");
  stack.addOutputs({ BusName: bus.eventBusName });
  return { bus };
}
