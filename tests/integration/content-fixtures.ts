import { expect } from "vitest";
import { TEST_SECRETS, type Harness, type StoredEmail } from "./harness";

/**
 * What the content-to-mail tests (digest.test.ts, bad-content.test.ts) share: content items as the
 * webhook takes them, the staff's digest run, and the mail a reader got besides the confirmation.
 */

export const DAY = 86_400_000;

/** The local staff token's header. */
export const STAFF = { authorization: `Bearer ${TEST_SECRETS.STAFF_TOKEN}` };

/** A published content item of a kind, in Swedish, published an hour ago; a seminar starts in nine days. `overrides` give the rest (id, missions, title, …). */
export function contentItem(kind: "seminar" | "publication" | "news", overrides: Record<string, unknown>) {
  const start = new Date(Date.now() + 9 * DAY);
  start.setUTCHours(8, 0, 0, 0);
  return {
    version: 1,
    kind,
    language: "sv",
    summary: "Kort sammanfattning.",
    url: "https://missions.example.org/x",
    publishedAt: new Date(Date.now() - 3_600_000).toISOString(),
    ...(kind === "seminar" ? { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3_600_000).toISOString(), location: "Stockholm" } : {}),
    ...overrides,
  };
}

/** Runs a digest as staff do, waits until everything it caused is done, and answers the run as the API reports it. */
export async function runDigest(h: Harness, cadence: "weekly" | "monthly" = "weekly") {
  const res = await h.request("POST", "/api/staff/digests/run", { json: { cadence }, headers: STAFF });
  expect(res.status).toBe(202);
  await h.idle();
  return (await h.request("GET", `/api/staff/runs/${res.body.runId}`, { headers: STAFF })).body;
}

/** The mail an address got other than its sign-up confirmation: digests and alerts. */
export const contentMails = async (h: Harness, address: string): Promise<StoredEmail[]> => (await h.mailTo(address)).filter((m) => !/confirm|bekräfta/i.test(m.subject));
