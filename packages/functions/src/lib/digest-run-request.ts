import * as z from "zod";

/** The body of `POST /api/staff/digests/run`: which digest to plan now. */
export const RunDigestRequest = z.object({ cadence: z.enum(["daily", "weekly", "monthly"], { error: 'cadence must be "daily", "weekly" or "monthly".' }) }).strict();
