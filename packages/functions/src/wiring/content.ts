import { DynamoContentStore } from "@mission-mail/core/content/dynamo-content-store";
import { perWiring } from "./wiring";

/** CMS items, as the public pages and the planners read them. */
export const contentStore = perWiring((w) => new DynamoContentStore(w.platform.db, w.config.TABLE_NAME));
