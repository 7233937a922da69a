import { afterAll, beforeAll, expect, it } from "vitest";
import { startHarness, type Harness, type StoredEmail } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ALERT_WINDOW_SECONDS: "1" });
});
afterAll(() => h?.stop());

const DAY = 86_400_000;
const publication = (id: string, title: string) => ({
  type: "content.published",
  item: { id, version: 1, kind: "publication", missions: ["mobility"], language: "en", title, summary: "A summary.", url: "https://missions.example.org/p", publishedAt: new Date(Date.now() - DAY).toISOString() },
});
const alerts = async (address: string) => (await h.mailTo(address)).filter((m) => /publication/i.test(m.subject));
const unsubscribeUrl = (mail: StoredEmail) => {
  const header = mail.headers?.find((x) => x.name.toLowerCase() === "list-unsubscribe")?.value ?? "";
  return new URL(/<(https?:[^>]+)>/.exec(header)![1]!);
};

it("shows a page on GET that changes nothing, and unsubscribes on an RFC 8058 one-click POST, from the very next send", async () => {
  const person = await h.subscribe({ language: "en", missions: ["mobility"], topics: ["publication"], cadence: "immediate" });
  await h.publish(publication("u-1", "First report"));
  await h.idle();
  const [mail] = await alerts(person);
  const url = unsubscribeUrl(mail!);
  const path = `${url.pathname}${url.search}`;

  // A mail scanner following the link changes nothing.
  const page = await h.request("GET", path);
  expect(page.status).toBe(200);
  expect(page.text).toContain('<html lang="en"');
  expect(page.text).toMatch(/<form method="post" action="\/unsubscribe\?token=/);
  const profile = async () => (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === person)!;
  expect((await profile()).status).toBe("active");

  // What a mail client sends for List-Unsubscribe-Post.
  const oneClick = await h.request("POST", path, { body: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } });
  expect(oneClick.status).toBe(200);
  expect(oneClick.text).toContain("You have unsubscribed");
  const p = await profile();
  expect(p.status).toBe("unsubscribed");
  const partition = await h.partition(p.PK as string);
  expect(partition.filter((i) => String(i.SK).startsWith("MEMBER#"))).toHaveLength(0);
  const ledger = partition.filter((i) => String(i.SK).startsWith("CONSENT#")).map((i) => i.event);
  expect(ledger.at(-1)).toBe("withdrawn");

  // Doing it again is harmless, and nothing more is sent.
  expect((await h.request("POST", path)).status).toBe(200);
  expect((await h.partition(p.PK as string)).filter((i) => i.event === "withdrawn")).toHaveLength(1);
  await new Promise((r) => setTimeout(r, 1_100));
  await h.publish(publication("u-2", "Second report"));
  await h.idle();
  expect(await alerts(person)).toHaveLength(1);
});

it("refuses a forged or missing token with a page that says why, changing nothing", async () => {
  const forged = await h.request("POST", "/unsubscribe?token=eyJ0IjoibWFuYWdlIn0.AAAA&lang=sv", { body: "List-Unsubscribe=One-Click" });
  expect(forged.status).toBe(400);
  expect(forged.text).toContain("Länken är inte giltig");
  expect((await h.request("GET", "/unsubscribe")).status).toBe(400);
});

it("unsubscribes through the mailto: in List-Unsubscribe: the inbound function, as SES receiving invokes it, from the very next send", async () => {
  const person = await h.subscribe({ language: "en", missions: ["mobility"], topics: ["publication"], cadence: "immediate" });
  await h.publish(publication("u-mailto-1", "Mailto report"));
  await h.idle();
  const [mail] = await alerts(person);
  const header = mail!.headers?.find((x) => x.name.toLowerCase() === "list-unsubscribe")?.value ?? "";
  const mailto = new URL(/<(mailto:[^>]+)>/.exec(header)![1]!);
  expect(mailto.pathname).toBe("unsubscribe@missions.example.org");
  // What a mail client sends to the mailto, as SES receiving hands it to the function.
  const event = {
    Records: [
      {
        eventSource: "aws:ses",
        eventVersion: "1.0",
        ses: {
          mail: { messageId: "inbound-1", source: person, destination: [mailto.pathname], commonHeaders: { from: [person], to: [mailto.pathname], subject: mailto.searchParams.get("subject") } },
          receipt: { recipients: [mailto.pathname], spamVerdict: { status: "PASS" }, virusVerdict: { status: "PASS" }, action: { type: "Lambda" } },
        },
      },
    ],
  };
  const { run } = await import("../../packages/functions/src/events/inbound-unsubscribe");
  expect(await run(event, undefined, h.cloud.wiring)).toEqual({ outcomes: ["unsubscribed"] });
  const profile = (await h.allItems()).find((i) => i.SK === "PROFILE" && i.email === person)!;
  expect(profile.status).toBe("unsubscribed");

  await h.publish(publication("u-mailto-2", "After the mailto"));
  await h.idle();
  expect((await alerts(person)).map((m) => m.subject).filter((s) => s.includes("After the mailto"))).toEqual([]);
});
