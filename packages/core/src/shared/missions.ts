import type { Language } from "./vocabulary";

/** A mission as every part of Mission Mail reads it; staff manage the catalogue (see missions/). */
export interface Mission {
  id: string;
  name: Record<Language, string>;
  description: Record<Language, string>;
  /** The mission team's shared inbox, shown on the public pages. */
  contact: string;
  /**
   * Where replies to email about this mission go (its `Reply-To`): the team's address. Without one,
   * replies go to the service's general address.
   */
  teamAddress?: string;
  status: "active" | "retired";
}

/**
 * The `Reply-To` of an email about these missions: the team address when they all have the same one
 * (mail about one mission), otherwise undefined, and the sender uses the general address.
 */
export function teamReplyTo(missionIds: Iterable<string>, catalogue: readonly Mission[]): string | undefined {
  const addresses = new Set<string | undefined>();
  for (const id of new Set(missionIds)) addresses.add(catalogue.find((m) => m.id === id)?.teamAddress);
  const [only] = addresses;
  return addresses.size === 1 ? only : undefined;
}

/** The missions catalogue as readers see it: every mission, retired ones included. */
export interface MissionDirectory {
  listMissions(): Promise<Mission[]>;
}
