import type { DepartureAnswer, DepartureAnswers } from "../../packages/core/src/departures";

/** Departure answers in memory: one per answer id, listed oldest first. */
export class MemoryDepartureAnswers implements DepartureAnswers {
  readonly answers: DepartureAnswer[] = [];
  async record(answer: DepartureAnswer): Promise<"recorded" | "duplicate"> {
    if (this.answers.some((a) => a.answerId === answer.answerId)) return "duplicate";
    this.answers.push(structuredClone(answer));
    return "recorded";
  }
  async between(fromIso: string, toIso: string): Promise<DepartureAnswer[]> {
    return this.answers.filter((a) => a.at >= fromIso && a.at < toIso).sort((a, b) => a.at.localeCompare(b.at)).map((a) => structuredClone(a));
  }
}
