import { deps } from "../lib/deps";
import { httpHandler, json } from "../lib/http";

/** GET /api/missions: the active missions catalogue. */
export const handler = httpHandler(async () => {
  const { store } = await deps();
  const missions = (await store.listMissions()).filter((m) => m.status === "active");
  return json(200, { missions }, { "cache-control": "public, max-age=60" });
});
