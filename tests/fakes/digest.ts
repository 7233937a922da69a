import type { AlertWindows, DigestRun, DigestRunStore } from "../../packages/core/src/digest";

/** Digest runs in memory, newest first. */
export class MemoryDigestRuns implements DigestRunStore {
  readonly runs = new Map<string, DigestRun>();
  async putRun(run: DigestRun): Promise<void> {
    this.runs.set(run.runId, structuredClone(run));
  }
  async getRun(runId: string): Promise<DigestRun | undefined> {
    const r = this.runs.get(runId);
    return r && structuredClone(r);
  }
  async listRuns(limit: number): Promise<DigestRun[]> {
    return [...this.runs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.runId.localeCompare(a.runId)).slice(0, limit).map((r) => structuredClone(r));
  }
}

/** Alert windows in memory: one open window per subscriber; a closed (flushed) window collects nothing more. */
export class MemoryAlertWindows implements AlertWindows {
  readonly windows = new Map<string, { items: string[]; flushed: boolean; opened: string }>();
  private readonly open_ = new Map<string, number>();

  async open(subscriberId: string, itemRef: string, nowMs: number, windowEndsAt: number): Promise<{ opened: boolean; windowEndsAt: number }> {
    const current = this.open_.get(subscriberId);
    if (current !== undefined && current > nowMs) return { opened: false, windowEndsAt: current };
    this.open_.set(subscriberId, windowEndsAt);
    this.windows.set(`${subscriberId}|${windowEndsAt}`, { items: [], flushed: false, opened: itemRef });
    return { opened: true, windowEndsAt };
  }
  async collect(subscriberId: string, windowEndsAt: number, itemRef: string): Promise<"first" | "added" | "closed"> {
    const w = this.windows.get(`${subscriberId}|${windowEndsAt}`);
    if (!w || w.flushed) return "closed";
    if (!w.items.includes(itemRef)) w.items.push(itemRef);
    return w.items.length === 1 ? "first" : "added";
  }
  async close(subscriberId: string, windowEndsAt: number): Promise<string[]> {
    const w = this.windows.get(`${subscriberId}|${windowEndsAt}`);
    if (!w) return [];
    w.flushed = true;
    return [...w.items];
  }
  async unflushed(subscriberId: string): Promise<{ windowEndsAt: number; items: string[] }[]> {
    return [...this.windows.entries()]
      .filter(([k, w]) => k.startsWith(`${subscriberId}|`) && !w.flushed)
      .map(([k, w]) => ({ windowEndsAt: Number(k.split("|")[1]), items: [...w.items] }));
  }
  async discard(subscriberId: string, windowEndsAt: number, itemRefs: string[]): Promise<void> {
    const w = this.windows.get(`${subscriberId}|${windowEndsAt}`);
    if (w && !w.flushed) w.items = w.items.filter((i) => !itemRefs.includes(i));
  }
}
