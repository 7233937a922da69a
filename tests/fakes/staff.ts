import type { AuditEntry, AuditLog } from "../../packages/core/src/audit";
import type { Announcement, AnnouncementScheduler, AnnouncementStore, CampaignControl, CampaignStatus, PausedReason } from "../../packages/core/src/announcements";
import type { ManagedMission, MissionCatalogue } from "../../packages/core/src/missions";
import type { Mission, MissionDirectory } from "../../packages/core/src/shared/missions";
import type { MissionStats, ServiceCounter, ServiceTotals, StatCounter } from "../../packages/core/src/stats";

const copy = <T>(value: T): T => structuredClone(value);

/** The audit log in memory: append-only, an entry id written once. */
export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  async append(entry: AuditEntry): Promise<void> {
    if (this.entries.some((e) => e.id === entry.id)) throw new Error(`Audit entry ${entry.id} already exists`);
    this.entries.push(copy(entry));
  }
  async list(options: { limit: number; before?: string }): Promise<{ entries: AuditEntry[]; next?: string }> {
    const newestFirst = [...this.entries].reverse().filter((e) => options.before === undefined || e.id < options.before);
    const entries = newestFirst.slice(0, options.limit).map(copy);
    return newestFirst.length > options.limit ? { entries, next: entries.at(-1)!.id } : { entries };
  }
  get actions(): string[] {
    return this.entries.map((e) => e.action);
  }
}

/** Announcements in memory: created once, replaced only at the expected version. */
export class MemoryAnnouncementStore implements AnnouncementStore {
  readonly announcements = new Map<string, Announcement>();
  async createAnnouncement(announcement: Announcement): Promise<void> {
    if (this.announcements.has(announcement.id)) throw new Error(`Announcement ${announcement.id} already exists`);
    this.announcements.set(announcement.id, copy(announcement));
  }
  async getAnnouncement(id: string): Promise<Announcement | undefined> {
    const a = this.announcements.get(id);
    return a && copy(a);
  }
  async replaceAnnouncement(next: Announcement, expectedVersion: number): Promise<boolean> {
    if (this.announcements.get(next.id)?.version !== expectedVersion) return false;
    this.announcements.set(next.id, copy(next));
    return true;
  }
  async listAnnouncements(options: { limit: number; before?: string }): Promise<{ announcements: Announcement[]; next?: string }> {
    const all = [...this.announcements.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    const from = options.before === undefined ? 0 : all.findIndex((a) => a.id === options.before) + 1;
    const page = all.slice(from, from + options.limit).map(copy);
    return from + options.limit < all.length ? { announcements: page, next: page.at(-1)!.id } : { announcements: page };
  }
}

/**
 * The announcements port as the DynamoDB adapter implements it: the store, and control over the
 * campaigns announcements become (which live in the outbox, here the outbox fake).
 */
export class MemoryAnnouncements extends MemoryAnnouncementStore implements CampaignControl {
  constructor(private readonly campaigns: CampaignControl) {
    super();
  }
  campaignStatus(key: string): Promise<CampaignStatus | undefined> {
    return this.campaigns.campaignStatus(key);
  }
  pauseCampaign(key: string, reason: PausedReason, expected?: { resumedAt: string | undefined }): Promise<boolean> {
    return this.campaigns.pauseCampaign(key, reason, expected);
  }
  resumeCampaign(key: string, at: string): Promise<boolean> {
    return this.campaigns.resumeCampaign(key, at);
  }
  cancelCampaign(key: string, at: string): Promise<boolean> {
    return this.campaigns.cancelCampaign(key, at);
  }
  unsentBatches(key: string): Promise<number[]> {
    return this.campaigns.unsentBatches(key);
  }
  finishIfDone(key: string): Promise<void> {
    return this.campaigns.finishIfDone(key);
  }
}

/** Records schedules; both calls are idempotent, as EventBridge Scheduler's are. */
export class RecordingScheduler implements AnnouncementScheduler {
  readonly schedules = new Set<string>();
  readonly calls: string[] = [];
  async schedule(announcementId: string, atMs: number): Promise<void> {
    this.calls.push(`schedule ${announcementId} ${new Date(atMs).toISOString()}`);
    this.schedules.add(`${announcementId}@${atMs}`);
  }
  async unschedule(announcementId: string, atMs: number): Promise<void> {
    this.calls.push(`unschedule ${announcementId} ${new Date(atMs).toISOString()}`);
    this.schedules.delete(`${announcementId}@${atMs}`);
  }
}

/** The missions catalogue in memory, with the adapter's version check and a retire that happens once. */
export class MemoryMissionCatalogue implements MissionCatalogue, MissionDirectory {
  readonly missions = new Map<string, ManagedMission>();
  constructor(missions: ManagedMission[] = []) {
    for (const m of missions) this.missions.set(m.id, copy(m));
  }
  async listMissions(): Promise<Mission[]> {
    return [...this.missions.values()].map(({ id, name, description, contact, status }) => copy({ id, name, description, contact, status }));
  }
  async listAll(): Promise<ManagedMission[]> {
    return [...this.missions.values()].map(copy);
  }
  async get(missionId: string): Promise<ManagedMission | undefined> {
    const m = this.missions.get(missionId);
    return m && copy(m);
  }
  async add(mission: ManagedMission): Promise<"added" | "exists"> {
    if (this.missions.has(mission.id)) return "exists";
    this.missions.set(mission.id, copy(mission));
    return "added";
  }
  async update(mission: ManagedMission, expectedVersion: number): Promise<"updated" | "conflict"> {
    const current = this.missions.get(mission.id);
    if (!current || current.version !== expectedVersion) return "conflict";
    this.missions.set(mission.id, { ...current, name: mission.name, description: mission.description, contact: mission.contact, version: expectedVersion + 1, ...(mission.updatedAt ? { updatedAt: mission.updatedAt } : {}) });
    return "updated";
  }
  async retire(missionId: string, at: string): Promise<ManagedMission | undefined> {
    const m = this.missions.get(missionId);
    if (!m) return undefined;
    if (m.status !== "retired") this.missions.set(missionId, { ...m, status: "retired", retiredAt: at, version: m.version + 1 });
    return copy(this.missions.get(missionId));
  }
}

/** Per-mission chart counters in memory. */
export class MemoryMissionStats implements MissionStats {
  readonly days = new Map<string, Partial<Record<StatCounter, number>>>();
  readonly totals = new Map<string, number>();
  async add(missionId: string, day: string, counts: Partial<Record<StatCounter, number>>, totalDelta?: number): Promise<void> {
    const key = `${missionId}|${day}`;
    const current = this.days.get(key) ?? {};
    for (const [c, n] of Object.entries(counts) as [StatCounter, number][]) current[c] = (current[c] ?? 0) + n;
    this.days.set(key, current);
    if (totalDelta) this.totals.set(missionId, (this.totals.get(missionId) ?? 0) + totalDelta);
  }
  async read(missionId: string, fromDay: string, toDay: string) {
    const days = new Map<string, Partial<Record<StatCounter, number>>>();
    for (const [key, counts] of this.days) {
      const [m, day] = key.split("|") as [string, string];
      if (m === missionId && day >= fromDay && day <= toDay) days.set(day, { ...counts });
    }
    return { days, total: this.totals.get(missionId) ?? 0 };
  }
  /** The sum of one counter over all days, for a mission. */
  sum(missionId: string, counter: StatCounter): number {
    let n = 0;
    for (const [key, counts] of this.days) if (key.startsWith(`${missionId}|`)) n += counts[counter] ?? 0;
    return n;
  }
}

/** Service-wide daily totals in memory (unsharded: the shards only spread writes, the sums are the same). */
export class MemoryServiceTotals implements ServiceTotals {
  readonly days = new Map<string, Partial<Record<ServiceCounter, number>>>();
  async add(day: string, counts: Partial<Record<ServiceCounter, number>>, _shardKey: string): Promise<void> {
    const current = this.days.get(day) ?? {};
    for (const [c, n] of Object.entries(counts) as [ServiceCounter, number][]) current[c] = (current[c] ?? 0) + n;
    this.days.set(day, current);
  }
  async read(fromDay: string, toDay: string): Promise<Map<string, Partial<Record<ServiceCounter, number>>>> {
    return new Map([...this.days].filter(([day]) => day >= fromDay && day <= toDay).map(([day, counts]) => [day, { ...counts }]));
  }
}
