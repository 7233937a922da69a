import type { SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localContext } from "../../packages/local/src/queue";
import { signStaffToken } from "../../packages/local/src/staff-issuer";
import { startHarness, TEST_SECRETS, type Harness, type StoredEmail } from "./harness";

let h: Harness;
beforeAll(async () => {
  // A small sample, so the automatic pause can be seen with a handful of subscribers.
  h = await startHarness({ AUTO_PAUSE_MIN_SAMPLE: "3", RATE_LIMIT_PER_IP: "1000" });
  // A publisher: these tests send, pause and cancel (the approval rule has its own test).
  anna = { authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "anna@example.org", groups: ["staff", "publisher"] })}` };
});
afterAll(() => h?.stop());

let anna: Record<string, string>;
const BASE = "/api/staff/announcements";
/** A staff API call; a send acknowledges the pre-send checks' warnings (short titles, a missing language), which have their own test. */
const api = (method: string, path: string, json?: unknown, headers = anna) => {
  const body = path.endsWith("/send") ? { ...((json as object | undefined) ?? {}), acknowledgeWarnings: true } : json;
  return h.request(method, `${BASE}${path}`, { ...(body !== undefined ? { json: body } : {}), headers });
};
const header = (mail: StoredEmail, name: string) => mail.headers?.find((x) => x.name.toLowerCase() === name.toLowerCase())?.value;
/** Emails an address got whose subject is exactly `subject`. */
const received = async (address: string, subject: string) => (await h.mailTo(address)).filter((m) => m.subject === subject);
const follower = (language: "sv" | "en", missions: string[], extra: Record<string, unknown> = {}) => h.subscribe({ language, missions, topics: ["news"], cadence: "immediate", ...extra });

async function create(title: { sv?: string; en?: string }, missions: string[], extra: Record<string, unknown> = {}) {
  const body = Object.fromEntries(Object.entries(title).map(([l, t]) => [l, `Body of "${t}".\n\n- first\n- second`]));
  const res = await api("POST", "", { title, body, missions, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; version: number; state: string };
}
const status = async (id: string) => (await api("GET", `/${id}`)).body;
/** The announcement's batch items, each in a partition of its own (`CAMPAIGN#<key>#BATCH#<n>`), in number order. */
const batchesOf = async (id: string) =>
  (await h.allItems()).filter((i) => i.type === "batch" && String(i.PK).startsWith(`CAMPAIGN#announcement#${id}#BATCH#`)).sort((a, b) => (a.batch as number) - (b.batch as number));

/** Runs the sender on one batch pointer, as SQS would deliver it, while the queue itself is held. */
async function sendOneBatch(campaign: string, batch: number) {
  const { run } = await import("../../packages/functions/src/queues/send-mail");
  const event: SQSEvent = {
    Records: [
      {
        messageId: `direct-${batch}`,
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
  const result = await run(event, localContext("send-queue"), h.cloud.wiring);
  expect(result.batchItemFailures).toEqual([]);
}

const TITLE = { sv: "Var med när Missions Playbook lanseras", en: "Join the launch of the Missions Playbook" };
let launch: string;
let svA: string, enB: string, svC: string;

describe("an announcement from draft to sent", () => {
  it("creates a draft, estimates its audience and edits it with optimistic concurrency", async () => {
    svA = await follower("sv", ["food-system"]);
    enB = await follower("en", ["food-system", "mobility"], { topics: ["news", "seminar"], cadence: "weekly" });
    svC = await follower("sv", ["mobility"], { cadence: "monthly" });
    await h.subscribe({ language: "sv", missions: ["food-system"], topics: ["seminar"], cadence: "weekly" });
    await h.subscribe({ language: "en", missions: ["impact-innovation"], topics: ["news"], cadence: "weekly" });

    const draft = await create({ sv: "Utkast", en: "Draft" }, ["food-system", "mobility"], {
      event: { date: "2026-12-01", time: "09:00", place: "Stockholm" },
      cta: { label: { sv: "Anmäl dig", en: "Register" }, url: "https://missions.example.org/playbook" },
    });
    launch = draft.id;
    expect(draft).toMatchObject({ state: "draft", version: 1, languages: ["sv", "en"], campaign: `announcement#${launch}`, createdBy: { email: "anna@example.org" } });
    expect(await status(launch)).toMatchObject({ state: "draft", audienceIsEstimate: true, counters: { audience: 3, sent: 0 } });

    const edit = { title: TITLE, body: { sv: "Välkommen till **lanseringen** av Missions Playbook.", en: "Welcome to **the launch** of the Missions Playbook." }, missions: ["food-system", "mobility"], event: { date: "2026-12-01", time: "09:00", place: "Stockholm" }, cta: { label: { sv: "Anmäl dig", en: "Register" }, url: "https://missions.example.org/playbook" } };
    const edited = await api("PUT", `/${launch}`, { ...edit, version: 1 });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, title: TITLE });
    const stale = await api("PUT", `/${launch}`, { ...edit, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("version_conflict");

    const list = await api("GET", "");
    expect(list.status).toBe(200);
    expect(list.body.announcements[0]).toMatchObject({ id: launch, state: "draft", title: TITLE });
    expect(list.body.announcements[0].body).toBeUndefined();
  });

  it("previews both languages, and a draft that is not saved", async () => {
    for (const lang of ["sv", "en"] as const) {
      const res = await api("GET", `/${launch}/preview?lang=${lang}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ subject: TITLE[lang], fallback: false, language: lang, contentLanguage: lang });
      expect(res.body.html).toContain(`<html lang="${lang}"`);
      expect(res.body.text).toContain(lang === "sv" ? "Tid: tisdag 1 december 2026 kl. 09.00" : "When: Tuesday 1 December 2026, 09:00");
      expect(res.body.html).not.toMatch(/\{\{/);
    }
    expect((await api("GET", `/${launch}/preview?lang=de`)).status).toBe(400);
    const live = await h.request("POST", `${BASE}/preview?lang=sv`, { json: { title: { en: "Live" }, body: { en: "Typing *now*" } }, headers: anna });
    expect(live.status, live.text).toBe(200);
    expect(live.body).toMatchObject({ subject: "Live", fallback: true, contentLanguage: "en" });
    expect(live.body.html).toContain("<em>now</em>");
  });

  it("test-sends a marked copy in each language to the given addresses only, and records how many, not who", async () => {
    const before = (await h.mailbox()).length;
    const res = await api("POST", `/${launch}/test`, { to: ["Staff.One@Example.ORG", "staff-two@example.org"] });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ sent: 4, suppressed: 0, failed: 0, languages: ["sv", "en"] });
    const mail = (await h.mailbox()).slice(before);
    expect(mail).toHaveLength(4);
    expect(mail.map((m) => m.destination.to[0]).sort()).toEqual(["Staff.One@example.org", "Staff.One@example.org", "staff-two@example.org", "staff-two@example.org"]);
    for (const m of mail) {
      expect(m.subject).toMatch(/^\[TEST\] /);
      expect(m.body.html).toMatch(/TEST – (this is a test send|det här är ett testutskick)/);
      expect(header(m, "List-Unsubscribe")).toBeUndefined();
    }
    for (const address of [svA, enB, svC]) expect(await h.mailTo(address)).toHaveLength(2); // their confirmation and welcome only

    const bad = await api("POST", `/${launch}/test`, { to: Array.from({ length: 11 }, (_, i) => `x${i}@example.org`) });
    expect(bad.status).toBe(400);
    const invalid = await api("POST", `/${launch}/test`, { to: ["ok@example.org", "not an address"] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields).toEqual([{ field: "to.1", message: expect.any(String) }]);

    const audit = (await h.request("GET", "/api/staff/audit?limit=200", { headers: anna })).body.entries as { action: string; targetId: string; details: unknown }[];
    const test = audit.find((e) => e.action === "announcement.test" && e.targetId === launch)!;
    expect(test.details).toEqual({ recipients: 2, languages: ["sv", "en"] });
    expect(JSON.stringify(audit)).not.toMatch(/staff-two|Staff\.One/i);
  });

  it("sends each follower of the chosen missions exactly one email in their language, even after a double click", async () => {
    const [first, second] = await Promise.all([api("POST", `/${launch}/send`), api("POST", `/${launch}/send`)]);
    expect([first.status, second.status].sort()).toEqual([200, 202]);
    await h.idle();

    for (const [address, lang] of [[svA, "sv"], [enB, "en"], [svC, "sv"]] as const) {
      const mails = await received(address, TITLE[lang]);
      expect(mails, address).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.body.html).toContain(`<html lang="${lang}"`);
      expect(mail.body.text).toContain(lang === "sv" ? "lanseringen" : "the launch");
      expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      expect(header(mail, "List-Unsubscribe")).toMatch(/unsubscribe\?token=[^&>]+&c=[A-Za-z0-9_-]+>, <mailto:/);
    }
    const everyone = await h.mailbox();
    expect(everyone.filter((m) => m.subject === TITLE.sv || m.subject === TITLE.en)).toHaveLength(3);

    expect(await status(launch)).toMatchObject({ state: "done", audienceIsEstimate: false, counters: { audience: 3, sent: 3, failed: 0 }, progress: { batches: 2, batchesDone: 2 } });
  });

  it("never sends twice: another send, a redelivered plan job and redelivered batch pointers change nothing", async () => {
    const before = (await h.mailbox()).length;
    const again = await api("POST", `/${launch}/send`);
    expect(again.status).toBe(200);
    expect(again.body.state).toBe("done");
    h.cloud.planQueue.sendRaw(JSON.stringify({ kind: "plan-announcement", id: launch }));
    for (const b of await batchesOf(launch)) h.cloud.sendQueue.sendRaw(JSON.stringify({ kind: "batch", campaign: b.campaign, batch: b.batch }));
    await h.idle();
    expect((await h.mailbox()).length).toBe(before);
    const late = await api("PUT", `/${launch}`, { title: TITLE, body: { sv: "x", en: "y" }, missions: ["food-system"] });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("not_editable");
  });

  it("counts an unsubscribe from the email's link on the announcement, once; an old link without the campaign still works", async () => {
    const mail = (await received(svC, TITLE.sv))[0]!;
    const link = /\/unsubscribe\?token=[A-Za-z0-9_.-]+&c=[A-Za-z0-9_-]+/.exec(mail.body.text!)![0];
    const page = await h.request("GET", link);
    expect(page.text).toContain(`&amp;c=${link.split("&c=")[1]}`);
    expect((await h.request("POST", link, { body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(200);
    expect((await h.request("POST", link, { body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(200);
    expect((await status(launch)).counters.unsubscribed).toBe(1);

    const old = /\/unsubscribe\?token=[A-Za-z0-9_.-]+/.exec((await received(svA, TITLE.sv))[0]!.body.text!)![0];
    expect((await h.request("POST", old, { body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(200);
    expect((await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === svA)!.status).toBe("unsubscribed");
    expect((await status(launch)).counters.unsubscribed).toBe(1);
  });
});

describe("language fallback", () => {
  it("sends an English-only announcement to Swedish readers with a note in Swedish, and to English readers without", async () => {
    const sv = await follower("sv", ["vision-driven-health"]);
    const en = await follower("en", ["vision-driven-health"]);
    const { id } = await create({ en: "Health launch in English only" }, ["vision-driven-health"]);
    const preview = await api("GET", `/${id}/preview?lang=sv`);
    expect(preview.body).toMatchObject({ fallback: true, language: "sv", contentLanguage: "en" });
    expect((await api("POST", `/${id}/send`)).status).toBe(202);
    await h.idle();

    const [toSv] = await received(sv, "Health launch in English only");
    expect(toSv!.body.html).toContain('<html lang="sv"');
    expect(toSv!.body.html).toContain("Det här utskicket finns bara på engelska.");
    expect(toSv!.body.html).toContain('<div lang="en">');
    expect(toSv!.body.text).toContain("Det här utskicket finns bara på engelska.");
    const [toEn] = await received(en, "Health launch in English only");
    expect(toEn!.body.html).toContain('<html lang="en"');
    expect(toEn!.body.html).not.toMatch(/only available|finns bara/);
    expect(await h.mailbox().then((all) => all.filter((m) => m.subject === "Health launch in English only"))).toHaveLength(2);
  });
});

describe("pausing", () => {
  it("pauses by itself when complaints pass the limit after the minimum sample, and a resumed send completes", async () => {
    const sv = [await follower("sv", ["societal-contract"]), await follower("sv", ["societal-contract"]), await follower("sv", ["societal-contract"])];
    const en = [await follower("en", ["societal-contract"]), await follower("en", ["societal-contract"]), await follower("en", ["societal-contract"])];
    const { id } = await create({ sv: "Samhällskontraktet lanseras", en: "The societal contract launches" }, ["societal-contract"]);
    h.cloud.sendQueue.pause();
    try {
      expect((await api("POST", `/${id}/send`)).status).toBe(202);
      await h.cloud.planQueue.idle();
      const batches = await batchesOf(id);
      expect(batches.map((b) => b.language).sort()).toEqual(["en", "sv"]);
      const svBatch = batches.find((b) => b.language === "sv")!;
      await sendOneBatch(svBatch.campaign as string, svBatch.batch as number);
      expect(await status(id)).toMatchObject({ state: "sending", counters: { sent: 3 } });

      const mail = (await received(sv[0]!, "Samhällskontraktet lanseras"))[0]!;
      const injected = await h.request("POST", "/_local/ses-events", { json: { type: "complaint", messageId: mail.messageId } });
      expect(injected.status, injected.text).toBe(202);
      await h.cloud.bus.idle();
      const paused = await status(id);
      expect(paused).toMatchObject({ state: "paused", counters: { sent: 3, complained: 1 }, pausedReason: { code: "complaint_rate", message: expect.stringMatching(/1 complaints for 3 emails sent/) } });
    } finally {
      h.cloud.sendQueue.resume();
    }
    await h.idle();
    // The held batch was put off while paused.
    for (const address of en) expect(await received(address, "The societal contract launches")).toHaveLength(0);
    expect(await status(id)).toMatchObject({ state: "paused", counters: { sent: 3 } });

    const resumed = await api("POST", `/${id}/resume`);
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body.state).toBe("sending");
    await h.idle();
    for (const address of en) expect(await received(address, "The societal contract launches")).toHaveLength(1);
    for (const address of sv) expect(await received(address, "Samhällskontraktet lanseras")).toHaveLength(1);
    expect(await status(id)).toMatchObject({ state: "done", counters: { audience: 6, sent: 6, complained: 1 } });
  });

  it("pauses and resumes by hand; a paused send sends nothing until resumed", async () => {
    const people = [await follower("sv", ["impact-innovation"]), await follower("en", ["impact-innovation"])];
    const { id } = await create({ sv: "Impact: paus", en: "Impact: pause" }, ["impact-innovation"]);
    h.cloud.sendQueue.pause();
    try {
      expect((await api("POST", `/${id}/pause`)).status).toBe(409);
      expect((await api("POST", `/${id}/send`)).status).toBe(202);
      await h.cloud.planQueue.idle();
      const paused = await api("POST", `/${id}/pause`);
      expect(paused.status, paused.text).toBe(200);
      expect(paused.body).toMatchObject({ state: "paused", pausedReason: { code: "manual", by: { email: "anna@example.org" } } });
      expect((await api("POST", `/${id}/pause`)).body.state).toBe("paused");
    } finally {
      h.cloud.sendQueue.resume();
    }
    await h.idle();
    const sent = async () => (await h.mailbox()).filter((m) => m.subject.startsWith("Impact: pa")).length;
    expect(await sent()).toBe(0);
    expect((await api("POST", `/${id}/resume`)).status).toBe(200);
    await h.idle();
    const audience = (await status(id)).counters.audience;
    expect(audience).toBeGreaterThanOrEqual(people.length);
    expect(await sent()).toBe(audience);
    expect(await status(id)).toMatchObject({ state: "done", counters: { sent: audience } });
    expect((await api("POST", `/${id}/resume`)).status).toBe(409);
    expect((await api("POST", `/${id}/cancel`)).body.error.code).toBe("already_done");
  });

  it("cancels the rest of a send: every batch not sent is skipped, and it stays cancelled", async () => {
    const { id } = await create({ sv: "Impact: inställt", en: "Impact: cancelled" }, ["impact-innovation"]);
    h.cloud.sendQueue.pause();
    try {
      expect((await api("POST", `/${id}/send`)).status).toBe(202);
      await h.cloud.planQueue.idle();
      const cancelled = await api("POST", `/${id}/cancel`);
      expect(cancelled.status, cancelled.text).toBe(200);
      expect(cancelled.body.state).toBe("cancelled");
    } finally {
      h.cloud.sendQueue.resume();
    }
    await h.idle();
    expect((await h.mailbox()).filter((m) => m.subject.startsWith("Impact: in") || m.subject === "Impact: cancelled")).toHaveLength(0);
    const after = await status(id);
    expect(after).toMatchObject({ state: "cancelled", counters: { sent: 0 } });
    expect(after.counters.skipped).toBe(after.counters.audience);
    expect((await api("POST", `/${id}/cancel`)).status).toBe(200);
    const send = await api("POST", `/${id}/send`);
    expect(send.status).toBe(409);
    expect(send.body.error.code).toBe("cancelled");
    expect((await api("POST", `/${id}/pause`)).status).toBe(409);
  });
});

describe("scheduling", () => {
  it("schedules in Stockholm time (summer time after the March change), reschedules, and sends when the local clock gets there", async () => {
    const { id } = await create({ sv: "Mobilitet: schemalagt", en: "Mobility: scheduled" }, ["mobility"]);
    const scheduled = await api("POST", `/${id}/send`, { at: "2027-03-28T09:00" });
    expect(scheduled.status, scheduled.text).toBe(202);
    expect(scheduled.body).toMatchObject({ state: "scheduled", scheduledFor: "2027-03-28T09:00", scheduledAt: "2027-03-28T07:00:00.000Z" });
    expect((await api("POST", `/${id}/send`, { at: "2027-03-28T09:00" })).status).toBe(200);

    const moved = await api("POST", `/${id}/send`, { at: "2027-01-15T09:00" });
    expect(moved.status).toBe(202);
    expect(moved.body).toMatchObject({ state: "scheduled", scheduledAt: "2027-01-15T08:00:00.000Z" });
    expect(h.cloud.scheduler.pendingOnce().filter((s) => s.job.kind === "plan-announcement" && s.job.id === id).map((s) => s.atMs)).toEqual([Date.parse("2027-01-15T08:00:00Z")]);

    // Nothing goes out before its time, and a schedule the announcement no longer names fires into nothing.
    expect(await h.cloud.scheduler.runDue(Date.now())).toBe(0);
    h.cloud.planQueue.sendRaw(JSON.stringify({ kind: "plan-announcement", id, at: Date.parse("2027-03-28T07:00:00Z") }));
    await h.idle();
    expect((await status(id)).state).toBe("scheduled");

    expect(await h.cloud.scheduler.runDue(Date.parse("2027-01-15T08:00:00Z"))).toBeGreaterThanOrEqual(1);
    await h.idle();
    expect(await received(enB, "Mobility: scheduled")).toHaveLength(1);
    expect(await status(id)).toMatchObject({ state: "done", counters: { sent: 1 } });
  });

  it("cancelling a scheduled send removes its schedule", async () => {
    const { id } = await create({ en: "Never sent" }, ["mobility"]);
    expect((await api("POST", `/${id}/send`, { at: "2027-02-01T10:00" })).status).toBe(202);
    expect(h.cloud.scheduler.pendingOnce().some((s) => s.job.kind === "plan-announcement" && s.job.id === id)).toBe(true);
    const cancelled = await api("POST", `/${id}/cancel`);
    expect(cancelled.body.state).toBe("cancelled");
    expect(h.cloud.scheduler.pendingOnce().some((s) => s.job.kind === "plan-announcement" && s.job.id === id)).toBe(false);
    await h.cloud.scheduler.runDue(Date.parse("2027-12-31T00:00:00Z"));
    await h.idle();
    expect((await h.mailbox()).filter((m) => m.subject === "Never sent")).toHaveLength(0);
  });

  it("refuses a time the clocks skip or repeat, one that has passed, and one that is not a time, changing nothing", async () => {
    const { id } = await create({ en: "Bad times" }, ["mobility"]);
    const cases: [string, number, string][] = [
      ["2026-03-29T02:30", 422, "nonexistent_time"],
      ["2026-10-25T02:30", 422, "ambiguous_time"],
      ["2026-01-01T09:00", 422, "time_in_past"],
      ["2026-12-01 09:00", 400, "validation_failed"],
    ];
    for (const [at, code, error] of cases) {
      const res = await api("POST", `/${id}/send`, { at });
      expect(res.status, at).toBe(code);
      expect(res.body.error.code, at).toBe(error);
      expect(res.body.error.fields[0].field, at).toBe("at");
    }
    expect(await status(id)).toMatchObject({ state: "draft", version: 1 });
  });
});

describe("refusals", () => {
  it("answers 400 with fields or 422 for unknown missions, and stores nothing", async () => {
    const before = (await h.allItems()).length;
    const bad = await api("POST", "", { title: { sv: "" }, body: { en: "x" }, missions: [], cta: { label: {}, url: "javascript:alert(1)" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(["title.sv", "missions", "cta.url", "title.en"]));
    const unknown = await api("POST", "", { title: { sv: "Hej" }, body: { sv: "Text" }, missions: ["food-system", "no-such-mission"] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: "unknown_missions", fields: [{ field: "missions.1" }] });
    expect((await h.request("POST", BASE, { body: "{not json", headers: { ...anna, "content-type": "application/json" } })).status).toBe(400);
    expect((await h.request("POST", BASE, { json: { title: { sv: "Hej" }, body: { sv: "Text" }, missions: ["food-system"] } })).status).toBe(401);
    const editor = { authorization: `Bearer ${await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "ed@example.org", groups: ["editors"] })}` };
    expect((await h.request("POST", BASE, { json: { title: { sv: "Hej" }, body: { sv: "Text" }, missions: ["food-system"] }, headers: editor })).status).toBe(403);
    expect((await api("GET", "/01JNOSUCHANNOUNCEMENT000000")).status).toBe(404);
    expect((await api("GET", "/not-an-id")).status).toBe(404);
    expect((await h.allItems()).length).toBe(before);
  });
});

describe("the audit log", () => {
  it("has every staff action on announcements, with who did it", async () => {
    const entries = (await h.request("GET", "/api/staff/audit?limit=200", { headers: anna })).body.entries as { action: string; actor: { email?: string } }[];
    const actions = new Set(entries.filter((e) => e.action.startsWith("announcement.")).map((e) => e.action));
    expect([...actions].sort()).toEqual(["announcement.cancel", "announcement.create", "announcement.edit", "announcement.pause", "announcement.resume", "announcement.schedule", "announcement.send", "announcement.test"]);
    expect(entries.filter((e) => e.action.startsWith("announcement.")).every((e) => e.actor.email === "anna@example.org")).toBe(true);
  });
});
