import type { SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../packages/cli/src/mm";
import { runCli } from "../../packages/cli/src/router";
import { localContext } from "../../packages/local/src/queue";
import { signStaffToken } from "../../packages/local/src/staff-issuer";
import { contentItem, contentMails, STAFF } from "./content-fixtures";
import { startHarness, TEST_SECRETS, type Harness } from "./harness";

let h: Harness;
let publisher: Record<string, string>;
let staffOnly: Record<string, string>;
beforeAll(async () => {
  // A small sample, so the automatic pause can be seen with a handful of subscribers.
  h = await startHarness({ AUTO_PAUSE_MIN_SAMPLE: "2", RATE_LIMIT_PER_IP: "1000" });
  publisher = { authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "pia@example.org", groups: ["staff", "publisher"] })}` };
  staffOnly = { authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "sam@example.org", groups: ["staff"] })}` };
});
afterAll(() => h?.stop());

/** The ops CLI against this stack, as a publisher (MM_TOKEN) or a staff member without the role. */
async function mm(token: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = process.env.MM_TOKEN;
  process.env.MM_TOKEN = token.authorization!.replace(/^Bearer /, "");
  try {
    const code = await runCli("mm", COMMANDS, [...argv, "--api", h.cloud.urls.site], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    if (saved === undefined) delete process.env.MM_TOKEN;
    else process.env.MM_TOKEN = saved;
  }
}

const run = async (id: string) => (await h.request("GET", `/api/staff/runs/${id}`, { headers: STAFF })).body;
const control = (id: string, action: "resume" | "cancel", headers = publisher) => h.request("POST", `/api/staff/runs/${id}/${action}`, { json: {}, headers });

/** Runs the sender on one batch pointer, as SQS would deliver it, while the queue itself is held. */
async function sendOneBatch(campaign: string, batch: number) {
  const { run: send } = await import("../../packages/functions/src/queues/send-mail");
  const event: SQSEvent = {
    Records: [
      {
        messageId: `direct-${campaign}-${batch}`,
        receiptHandle: "direct",
        body: JSON.stringify({ kind: "batch", campaign, batch }),
        attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.now()), SenderId: "test", ApproximateFirstReceiveTimestamp: String(Date.now()) },
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws:sqs:local:000000000000:send-queue",
        awsRegion: "local",
      },
    ],
  };
  expect((await send(event, localContext("send-queue"), h.cloud.wiring)).batchItemFailures).toEqual([]);
}

/**
 * Starts a digest run with the send queue held, sends only the Swedish readers' batch, and injects a
 * complaint about one of those emails through the local SES event endpoint, as SES's feedback would
 * arrive. Answers the run id, its campaign and who is in the batch still held.
 */
async function pausedRun(cadence: "weekly" | "monthly", mission: string, title: string) {
  const sv = [await h.subscribe({ language: "sv", missions: [mission], topics: ["seminar"], cadence }), await h.subscribe({ language: "sv", missions: [mission], topics: ["seminar"], cadence })];
  const en = [await h.subscribe({ language: "en", missions: [mission], topics: ["seminar"], cadence }), await h.subscribe({ language: "en", missions: [mission], topics: ["seminar"], cadence })];
  expect((await h.publish({ type: "content.published", item: contentItem("seminar", { id: `ap-${cadence}`, missions: [mission], title }) })).status).toBe(202);
  await h.idle();
  h.cloud.sendQueue.pause();
  try {
    const started = await h.request("POST", "/api/staff/digests/run", { json: { cadence }, headers: STAFF });
    expect(started.status, started.text).toBe(202);
    await h.cloud.planQueue.idle();
    const { runId, campaign } = started.body as { runId: string; campaign: string };
    // Each batch has a partition of its own, numbered from 1 (the header's lastBatch is the highest).
    const header = (await h.partition(`CAMPAIGN#${campaign}`)).find((i) => i.SK === "META")!;
    const batches = (await Promise.all(Array.from({ length: Number(header.lastBatch) }, (_, i) => h.partition(`CAMPAIGN#${campaign}#BATCH#${String(i + 1).padStart(6, "0")}`)))).flat();
    expect(batches.map((b) => b.language).sort()).toEqual(["en", "sv"]);
    const svBatch = batches.find((b) => b.language === "sv")!;
    await sendOneBatch(campaign, svBatch.batch as number);
    expect(await run(runId)).toMatchObject({ state: "sending", sent: 2 });

    const mail = (await contentMails(h, sv[0]!))[0]!;
    const injected = await h.request("POST", "/_local/ses-events", { json: { type: "complaint", messageId: mail.messageId } });
    expect(injected.status, injected.text).toBe(202);
    await h.cloud.bus.idle();
  } finally {
    h.cloud.sendQueue.resume();
  }
  await h.idle();
  const runs = (await h.request("GET", "/api/staff/runs?limit=1", { headers: STAFF })).body.runs as { runId: string; campaign: string }[];
  return { runId: runs[0]!.runId, campaign: runs[0]!.campaign, sv, en };
}

describe("a digest run that pauses by itself", () => {
  it("pauses over the complaint limit, holds the rest, and a publisher's resume sends it to each recipient once", async () => {
    const { runId, campaign, sv, en } = await pausedRun("weekly", "mobility", "Seminarium om mobilitet");
    const paused = await run(runId);
    expect(paused).toMatchObject({
      state: "paused",
      sent: 2,
      pausedReason: { code: "complaint_rate", count: 1, sent: 2, rate: 0.5, limit: 0.001, message: "Paused automatically: 1 complaints for 2 emails sent (50%), over the 0.1% limit." },
    });
    // The held batch was put off, not sent: the English readers have nothing yet.
    for (const address of en) expect(await contentMails(h, address)).toHaveLength(0);
    const audit = (await h.request("GET", "/api/staff/audit?limit=20", { headers: STAFF })).body.entries as { action: string; targetId: string; actor: { sub: string } }[];
    expect(audit.find((e) => e.action === "campaign.auto-pause")).toMatchObject({ targetId: campaign, actor: { sub: "system:auto-pause" } });

    const refused = await control(runId, "resume", staffOnly);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "role_required", message: expect.stringContaining("publisher") });
    expect((await run(runId)).state).toBe("paused");

    const resumed = await control(runId, "resume");
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body).toMatchObject({ runId, state: "sending", unsentBatches: 1, unsentRecipients: 2 });
    await h.idle();
    for (const address of [...sv, ...en]) expect(await contentMails(h, address)).toHaveLength(1);
    expect(await run(runId)).toMatchObject({ state: "done", planned: 4, sent: 4 });

    const again = await control(runId, "resume");
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "not_paused", message: "The run is done; only a paused run can be resumed." });
    const actions = ((await h.request("GET", "/api/staff/audit?limit=20", { headers: STAFF })).body.entries as { action: string; actor: { email?: string } }[]).filter((e) => e.action === "digest.resume");
    expect(actions).toMatchObject([{ actor: { email: "pia@example.org" } }]);
    // Four sign-ups, a planned digest and a paced send: minutes on two busy cores.
  }, 180_000);

  it("a publisher cancels the rest of a paused run with mm digest cancel: the held recipients are skipped, counted, and get nothing", async () => {
    const { runId, en } = await pausedRun("monthly", "food-system", "Seminarium om matsystemet");
    expect((await run(runId)).state).toBe("paused");
    expect((await control(runId, "cancel", staffOnly)).status).toBe(403);
    const refused = await mm(staffOnly, "digest", "cancel", runId);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^mm digest cancel: .*publisher/);
    expect((await run(runId)).state).toBe("paused");
    // The CLI, as a publisher: `mm digest cancel <run-id>`.
    const cancelled = await mm(publisher, "digest", "cancel", runId);
    expect(cancelled.code, cancelled.err).toBe(0);
    expect(cancelled.out).toBe(`${runId} cancelled`);
    expect(cancelled.err).toMatch(/^Cancelled \d{4}-\d{2}: 2 recipients in 1 batches will not get it/);
    await h.idle();
    for (const address of en) expect(await contentMails(h, address)).toHaveLength(0);
    expect(await run(runId)).toMatchObject({ state: "cancelled", planned: 4, sent: 2, skipped: 2 });
    const again = await control(runId, "resume");
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe("The run is cancelled; only a paused run can be resumed.");
  }, 180_000);
});
