import type { Mission } from "../shared/missions";

/** A mission as staff manage it: the catalogue entry with its version, for optimistic concurrency. */
export interface ManagedMission extends Mission {
  /** Goes up by one with every change; an edit names the version it started from. */
  version: number;
  createdAt?: string;
  updatedAt?: string;
  retiredAt?: string;
}

/** The missions catalogue, as staff change it without a deploy. Items: `PK=MISSIONS`, `SK=MISSION#<id>`. */
export interface MissionCatalogue {
  /** Every mission, retired ones included. */
  listAll(): Promise<ManagedMission[]>;
  get(missionId: string): Promise<ManagedMission | undefined>;
  /** Adds a mission at version 1; "exists" if the id is taken. */
  add(mission: ManagedMission): Promise<"added" | "exists">;
  /** Replaces name, description, contact and team address (absent: removed) if the stored version is still `expectedVersion`. */
  update(mission: ManagedMission, expectedVersion: number): Promise<"updated" | "conflict">;
  /** Marks a mission retired (once; retiring again changes nothing) and answers it as stored. */
  retire(missionId: string, at: string): Promise<ManagedMission | undefined>;
}
