import { MemoryOutbox, MemorySubscriberStore } from "../fakes";
import { outboxContract } from "../contracts/outbox";
import { subscriberStoreContract } from "../contracts/subscriber-store";

// The fakes keep the adapters' rules: the same contract runs against DynamoDB Local in tests/integration/adapter-contracts.test.ts.
subscriberStoreContract("in memory", async () => {
  const store = new MemorySubscriberStore();
  return { store, recordDelivery: async (id, record) => store.recordDelivery(id, record) };
});
outboxContract("in memory", async () => new MemoryOutbox());
