import type { ConsentRecord } from "./ledger";

/** A subscriber's consent ledger as stored; records are appended by the profile changes that cause them. */
export interface ConsentLedger {
  /** The ledger of one subscriber, oldest first. */
  ledger(subscriberId: string): Promise<ConsentRecord[]>;
}
