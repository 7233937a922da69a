import type { Server } from "node:http";
import { SendBulkEmailCommand, SendEmailCommand, SESv2Client, type BulkEmailEntry, type SendBulkEmailCommandInput } from "@aws-sdk/client-sesv2";
import * as sesLocalModule from "aws-ses-v2-local";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../packages/local/src/ports";
import { startSesSink, type SesSink, type SesSinkOptions } from "../../packages/local/src/ses-sink";

const sinks: SesSink[] = [];
const clients: SESv2Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of sinks.splice(0)) await s.close();
});

async function sink(options: SesSinkOptions = {}): Promise<SesSink> {
  const s = await startSesSink(options);
  sinks.push(s);
  return s;
}

function client(endpoint: string, maxAttempts = 1): SESv2Client {
  const c = new SESv2Client({ region: "eu-north-1", endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts });
  clients.push(c);
  return c;
}

const simple = (to: string[], cc: string[] = []) =>
  new SendEmailCommand({
    FromEmailAddress: "news@missions.example.org",
    Destination: { ToAddresses: to, CcAddresses: cc },
    Content: { Simple: { Subject: { Data: "Hello" }, Body: { Text: { Data: "Hi" }, Html: { Data: "<p>Hi</p>" } } } },
  });

const entry = (to: string, name: string): BulkEmailEntry => ({
  Destination: { ToAddresses: [to] },
  ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify({ name }) } },
  ReplacementHeaders: [{ Name: "List-Unsubscribe", Value: `<https://missions.example.org/u/${name}>` }],
});

const bulk = (entries: BulkEmailEntry[]) =>
  new SendBulkEmailCommand({
    FromEmailAddress: "news@missions.example.org",
    DefaultContent: {
      Template: {
        TemplateContent: { Subject: "Digest for {{name}}", Html: "<p>Hello {{name}}</p>", Text: "Hello {{name}}" },
        TemplateData: JSON.stringify({ name: "friend" }),
      },
    },
    BulkEmailEntries: entries,
  } satisfies SendBulkEmailCommandInput);

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return err as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };
  }
  throw new Error("expected the call to fail");
}

describe("SES sink", () => {
  it("accepts SendEmail and SendBulkEmail from the SDK and counts each recipient", async () => {
    const s = await sink();
    const ses = client(s.url);
    const sent = await ses.send(simple(["a@example.org"], ["b@example.org"]));
    expect(sent.MessageId).toEqual(expect.any(String));
    const out = await ses.send(bulk([entry("a@example.org", "Ada"), entry("c@example.org", "Cy"), entry("d@example.org", "Di")]));
    expect(out.BulkEmailEntryResults?.map((r) => r.Status)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
    expect(new Set(out.BulkEmailEntryResults?.map((r) => r.MessageId)).size).toBe(3);
    expect(Object.fromEntries(s.counts())).toEqual({ "a@example.org": 2, "b@example.org": 1, "c@example.org": 1, "d@example.org": 1 });
    expect(s.total()).toBe(5);
    expect(s.calls()).toMatchObject({ sendEmail: 1, bulk: 1, throttled: 0, failed: 0, retried: 0 });
    expect([...s.acceptedPerSecond().values()].reduce((a, b) => a + b, 0)).toBe(5);

    s.reset();
    expect(s.total()).toBe(0);
    expect(s.counts().size).toBe(0);
    expect(s.calls().bulk).toBe(0);
  });

  it("answers sends over maxPerSecond (after a burst of one second's worth) with TooManyRequestsException, and bulk entries with ACCOUNT_THROTTLED", async () => {
    let clock = 1_800_000_000_000;
    const s = await sink({ maxPerSecond: 3, now: () => clock });
    const ses = client(s.url);
    await ses.send(simple(["a@example.org", "b@example.org"]));
    await ses.send(simple(["c@example.org"]));
    const err = await rejection(ses.send(simple(["d@example.org"])));
    expect(err.name).toBe("TooManyRequestsException");
    expect(err.message).toBe("Maximum sending rate exceeded.");
    expect(err.$metadata?.httpStatusCode).toBe(429);

    const none = await ses.send(bulk([entry("e@example.org", "E")]));
    expect(none.BulkEmailEntryResults).toEqual([{ Status: "ACCOUNT_THROTTLED", Error: "Maximum sending rate exceeded." }]);

    // The quota refills at 3 a second: 0.3 s later there is not yet room for one more.
    clock += 300;
    expect((await rejection(ses.send(simple(["d@example.org"])))).name).toBe("TooManyRequestsException");
    // A second after the burst, a full second's worth (and no more) goes through.
    clock += 700;
    const some = await ses.send(bulk([entry("e@example.org", "E"), entry("f@example.org", "F"), entry("g@example.org", "G"), entry("h@example.org", "H")]));
    expect(some.BulkEmailEntryResults?.map((r) => r.Status)).toEqual(["SUCCESS", "SUCCESS", "SUCCESS", "ACCOUNT_THROTTLED"]);

    expect(s.total()).toBe(6);
    expect(s.counts().has("d@example.org")).toBe(false);
    expect(s.counts().has("h@example.org")).toBe(false);
    expect(s.calls()).toMatchObject({ sendEmail: 4, bulk: 2, throttled: 2, throttledEntries: 2 });
    expect([...s.acceptedPerSecond().values()]).toEqual([3, 3]);
  });

  it("injects throttling and server errors on the configured fraction of calls", async () => {
    const throttled = await sink({ throttleFraction: 1 });
    const err = await rejection(client(throttled.url).send(bulk([entry("a@example.org", "A")])));
    expect(err.name).toBe("TooManyRequestsException");
    expect(err.$metadata?.httpStatusCode).toBe(429);

    const failing = await sink({ failFraction: 1 });
    const failure = await rejection(client(failing.url).send(simple(["a@example.org"])));
    expect(failure.$metadata?.httpStatusCode).toBe(500);
    expect(failure.$fault).toBe("server");
    expect(failure.name).toBe("InternalFailure");
    expect(failing.total()).toBe(0);
    expect(failing.calls()).toMatchObject({ sendEmail: 1, failed: 1 });

    const unavailable = await sink({ failFraction: 1, failStatus: 503 });
    expect((await rejection(client(unavailable.url).send(simple(["a@example.org"])))).$metadata?.httpStatusCode).toBe(503);

    const rolls = [0.1, 0.9, 0.9, 0.9, 0.1, 0.9, 0.9];
    const mixed = await sink({ throttleFraction: 0.5, failFraction: 0.5, random: () => rolls.shift() ?? 0.9 });
    const ses = client(mixed.url);
    expect((await rejection(ses.send(simple(["a@example.org"])))).name).toBe("TooManyRequestsException");
    await ses.send(simple(["a@example.org"]));
    expect((await rejection(ses.send(simple(["a@example.org"])))).$metadata?.httpStatusCode).toBe(500);
    await ses.send(simple(["a@example.org"]));
    expect(mixed.calls()).toMatchObject({ sendEmail: 4, throttled: 1, failed: 1 });
    expect(mixed.counts().get("a@example.org")).toBe(2);
  });

  it("sees the SDK's own retries of server errors as separate calls", async () => {
    const s = await sink({ failFraction: 1 });
    const err = await rejection(client(s.url, 3).send(simple(["a@example.org"])));
    expect(err.$metadata?.httpStatusCode).toBe(500);
    expect(s.calls()).toMatchObject({ sendEmail: 3, failed: 3, retried: 2 });
  });

  it("counts 100,000 recipients without keeping messages", async () => {
    const s = await sink();
    const ses = client(s.url);
    const recipients = Array.from({ length: 100_000 }, (_, i) => `r${i}@example.org`);
    const batches: string[][] = [];
    for (let i = 0; i < recipients.length; i += 50) batches.push(recipients.slice(i, i + 50));
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++]!;
          const out = await ses.send(bulk(batch.map((to, i) => entry(to, `n${i}`))));
          expect(out.BulkEmailEntryResults?.every((r) => r.Status === "SUCCESS")).toBe(true);
        }
      }),
    );
    expect(s.total()).toBe(100_000);
    expect(s.counts().size).toBe(100_000);
    expect(s.calls().bulk).toBe(2_000);
  });

  describe("in front of the mailbox emulator", () => {
    it("forwards accepted sends, so mail (with its headers) can be read in the mailbox", async () => {
      const mod = sesLocalModule as unknown as { default: typeof sesLocalModule.default | { default: typeof sesLocalModule.default } };
      const sesLocal = typeof mod.default === "function" ? mod.default : mod.default.default;
      const mailbox: Server = await sesLocal({ host: "127.0.0.1", port: await freePort() });
      const mailboxUrl = `http://127.0.0.1:${(mailbox.address() as { port: number }).port}`;
      try {
        await fetch(`${mailboxUrl}/clear-store`, { method: "POST" });
        let clock = 1_800_000_000_000;
        const s = await sink({ forwardTo: mailboxUrl, maxPerSecond: 3, now: () => clock });
        const ses = client(s.url);

        const single = await ses.send(simple(["solo@example.org"]));
        const out = await ses.send(bulk([entry("ada@example.org", "Ada"), entry("bo@example.org", "Bo"), entry("cy@example.org", "Cy")]));
        expect(out.BulkEmailEntryResults?.map((r) => r.Status)).toEqual(["SUCCESS", "SUCCESS", "ACCOUNT_THROTTLED"]);
        expect((await rejection(ses.send(simple(["late@example.org"])))).name).toBe("TooManyRequestsException");

        type Stored = { messageId: string; subject: string; destination: { to: string[] }; body: { text?: string }; headers?: { name: string; value: string }[] };
        const store = (await (await fetch(`${mailboxUrl}/store`)).json()) as { emails: Stored[] };
        expect(store.emails.map((e) => e.destination.to[0])).toEqual(["solo@example.org", "ada@example.org", "bo@example.org"]);
        expect(store.emails[0]?.messageId).toBe(single.MessageId);
        const ada = store.emails[1]!;
        expect(ada.messageId).toBe(out.BulkEmailEntryResults?.[0]?.MessageId);
        expect(ada.subject).toBe("Digest for Ada");
        expect(ada.body.text).toBe("Hello Ada");
        expect(ada.headers).toContainEqual({ name: "List-Unsubscribe", value: "<https://missions.example.org/u/Ada>" });
        expect(Object.fromEntries(s.counts())).toEqual({ "solo@example.org": 1, "ada@example.org": 1, "bo@example.org": 1 });

        clock += 1000;
        const mixed = await ses.send(bulk([entry("not-an-address", "X"), entry("cy@example.org", "Cy")]));
        expect(mixed.BulkEmailEntryResults?.map((r) => r.Status)).toEqual(["FAILED", "SUCCESS"]);
        expect(s.counts().has("not-an-address")).toBe(false);
        expect(s.counts().get("cy@example.org")).toBe(1);

        const proxied = (await (await fetch(`${s.url}/store`)).json()) as { emails: Stored[] };
        expect(proxied.emails.map((e) => e.subject)).toEqual(["Hello", "Digest for Ada", "Digest for Bo", "Digest for Cy"]);
      } finally {
        await new Promise((r) => mailbox.close(() => r(undefined)));
      }
    });
  });
});
