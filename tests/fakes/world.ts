import { addressHmac } from "../../packages/core/src/shared/email-address";
import { CURRENT_POLICY_VERSION } from "../../packages/core/src/consent";
import { issueToken, type TokenBinding, type TokenType } from "../../packages/core/src/shared/tokens";
import type { MailJob, PlanJob, SendJob, SignUpJob } from "../../packages/core/src/shared/jobs";
import type { Mission } from "../../packages/core/src/shared/missions";
import type { Subscriber } from "../../packages/core/src/subscription";
import { FakeClock, RecordingQueue, SequentialIds } from "./platform";
import { MemoryRateLimiter, MemorySubscriberStore } from "./subscription";
import { FakePacer, MemoryOutbox, RecordingMailer } from "./campaigns";
import { MemoryMissionStats } from "./staff";

export const TOKEN_KEYS = ["unit-test-token-key-0123456789abcdef"];
export const PEPPER = "unit-test-pepper";
export const POLICY = CURRENT_POLICY_VERSION;

const mission = (id: string, sv: string, en: string, status: Mission["status"] = "active"): Mission => ({
  id,
  name: { sv, en },
  description: { sv: `${sv}.`, en: `${en}.` },
  contact: `${id}@example.org`,
  status,
});

/** Three missions: two active, one retired. */
export const MISSIONS: Mission[] = [mission("food-system", "Livsmedelssystemet", "Food system"), mission("mobility", "Mobilitet", "Mobility"), mission("old-mission", "Gammalt", "Old", "retired")];

/** The fakes most use cases share, wired together as the composition root wires the adapters. */
export function world(missions: Mission[] = MISSIONS) {
  const clock = new FakeClock();
  const ids = new SequentialIds();
  const store = new MemorySubscriberStore(structuredClone(missions));
  const outbox = new MemoryOutbox(store);
  const mailQueue = new RecordingQueue<SendJob>();
  const planQueue = new RecordingQueue<PlanJob>();
  const signUpQueue = new RecordingQueue<SignUpJob>();
  const w = {
    clock,
    ids,
    store,
    outbox,
    limiter: new MemoryRateLimiter(),
    mailer: new RecordingMailer(),
    pacer: new FakePacer(),
    stats: new MemoryMissionStats(),
    mailQueue,
    planQueue,
    signUpQueue,
    tokenKeys: TOKEN_KEYS,
    /** A token of a type for a subscriber, issued now (or at `atMs`), with any binding (a data-rights link's action and id). */
    token: (type: TokenType, subscriberId: string, atMs = clock.now(), binding: TokenBinding = {}) => issueToken(TOKEN_KEYS, type, subscriberId, atMs, binding),
    /** A data-rights link's token for one action, as the emailed link carries it. */
    dataToken: (subscriberId: string, action: "export" | "erase", linkId = `link-${action}-${subscriberId}`) => issueToken(TOKEN_KEYS, "data-rights", subscriberId, clock.now(), { action, id: linkId }),
    hmac: (email: string) => addressHmac(email, PEPPER),
    /** Seeds an active subscriber with memberships. */
    active(id: string, choices: Partial<Subscriber> = {}): Subscriber {
      const email = choices.email ?? `${id}@example.org`;
      return store.seedActive({ id, email, addressHmac: addressHmac(email, PEPPER), policyVersion: POLICY, language: "sv", missions: ["food-system"], topics: ["news"], cadence: "immediate", ...choices });
    },
    /** The transactional mail jobs queued so far. */
    mailJobs: () => mailQueue.bodies.filter((j): j is MailJob => j.kind !== "batch"),
  };
  return w;
}

export type World = ReturnType<typeof world>;
