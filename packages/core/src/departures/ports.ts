import type { DepartureReasonCode } from "./departure-reasons";

/**
 * One answer to "why did you leave?": the reason, the optional free text, the missions the person
 * followed and the campaign whose email they left from. Never the address or the subscriber: only
 * `answerId`, a keyed hash that takes one answer per unsubscribe.
 */
export interface DepartureAnswer {
  answerId: string;
  reason: DepartureReasonCode;
  text?: string;
  missions: string[];
  campaign?: string;
  at: string;
}

/** The stored answers, for the staff statistics. */
export interface DepartureAnswers {
  /** Stores an answer once per `answerId`; "duplicate" if one was already given. */
  record(answer: DepartureAnswer): Promise<"recorded" | "duplicate">;
  /** The answers given from `fromIso` up to (not including) `toIso`, oldest first. */
  between(fromIso: string, toIso: string): Promise<DepartureAnswer[]>;
}
