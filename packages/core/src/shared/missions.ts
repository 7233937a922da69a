import type { Language } from "./vocabulary";

/** A mission as every part of Mission Mail reads it; staff manage the catalogue (see missions/). */
export interface Mission {
  id: string;
  name: Record<Language, string>;
  description: Record<Language, string>;
  /** The mission team's shared inbox. */
  contact: string;
  status: "active" | "retired";
}

/** The missions catalogue as readers see it: every mission, retired ones included. */
export interface MissionDirectory {
  listMissions(): Promise<Mission[]>;
}
