import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";

/** GET /api/missions: the active missions catalogue. */
export const handler = httpHandler(async () => {
  const { store } = await deps();
  // Only the public fields: staff bookkeeping (version, times) stays in the staff API.
  const missions = (await store.listMissions()).filter((m) => m.status === "active").map(({ id, name, description, contact, status }) => ({ id, name, description, contact, status }));
  return json(200, { missions }, { "cache-control": "public, max-age=60" });
});
