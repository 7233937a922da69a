import type { ContentAlerts, ContentItem, ContentStore, ItemLeftOut, Seminar, StoredContent } from "../../packages/core/src/content";

const copy = <T>(value: T): T => structuredClone(value);

/** Content in memory, with the adapter's optimistic write: "conflict" unless the stored state is still `previous`. */
export class MemoryContentStore implements ContentStore {
  readonly items = new Map<string, StoredContent>();
  /** Makes the next `putContent` answer "conflict", as a concurrent writer would. */
  conflicts = 0;

  async getContent(itemId: string): Promise<StoredContent | undefined> {
    const s = this.items.get(itemId);
    return s && copy(s);
  }

  async putContent(next: StoredContent, previous: StoredContent | undefined): Promise<"written" | "conflict"> {
    if (this.conflicts > 0) {
      this.conflicts--;
      return "conflict";
    }
    const current = this.items.get(next.item.id);
    if (JSON.stringify(current) !== JSON.stringify(previous)) return "conflict";
    this.items.set(next.item.id, copy(next));
    return "written";
  }

  async markPlanned(itemId: string, version: number): Promise<void> {
    const s = this.items.get(itemId);
    if (s && s.item.version === version) s.plannedVersion = version;
  }

  async upcomingSeminars(missionId: string, fromIso: string, toIso: string): Promise<ContentItem[]> {
    return this.published(missionId)
      .filter((i): i is Seminar => i.kind === "seminar" && i.startsAt >= fromIso && i.startsAt < toIso)
      .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }

  async articlesBetween(missionId: string, fromIso: string, toIso: string): Promise<ContentItem[]> {
    return this.published(missionId).filter((i) => i.kind !== "seminar" && i.publishedAt >= fromIso && i.publishedAt < toIso);
  }

  /** Test setup: stores a published item as the adapter would after applying its event. */
  seed(item: ContentItem, status: StoredContent["status"] = "published"): void {
    this.items.set(item.id, { item: copy(item), status, alertedVersions: [], updatedAt: "2026-11-01T00:00:00.000Z" });
  }

  private published(missionId: string): ContentItem[] {
    return [...this.items.values()].filter((s) => s.status === "published" && s.item.missions.includes(missionId)).map((s) => copy(s.item));
  }
}

/** Records the alerts a content event asks for; `leftOut` leaves out the items a test names. */
export class RecordingContentAlerts implements ContentAlerts {
  readonly alerts: StoredContent[] = [];
  readonly notices: { stored: StoredContent; previous: Seminar }[] = [];
  readonly refused = new Map<string, string>();
  planned = 3;

  async planItemAlert(stored: StoredContent): Promise<{ planned: number }> {
    this.alerts.push(copy(stored));
    return { planned: this.planned };
  }
  async planChangedNotice(stored: StoredContent, previous: Seminar): Promise<{ planned: number }> {
    this.notices.push({ stored: copy(stored), previous: copy(previous) });
    return { planned: this.planned };
  }
  leftOut(item: ContentItem): ItemLeftOut | undefined {
    const reason = this.refused.get(item.id);
    return reason === undefined ? undefined : { code: "item_left_out", itemId: item.id, version: item.version, reason };
  }
}
