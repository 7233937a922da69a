import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAnnouncements } from "../../packages/core/src/announcements/dynamo-announcements";
import { DynamoDigestRuns } from "../../packages/core/src/digest/dynamo-digest-runs";
import { DynamoOutbox } from "../../packages/core/src/campaigns/dynamo-outbox";
import { signStaffToken } from "../../packages/local/src/staff-issuer";
import { startHarness, TEST_SECRETS, type Harness } from "../integration/harness";
import { checkA11y, closeBrowser, focused, launchBrowser, newContext, screenshot, SCREENSHOTS_ON, tabTo } from "./browser";

/**
 * The staff console in a real browser, as a staff member uses it on `npm start`: signed in with a
 * local token in the URL's fragment (or pasted), the charts and lists, then an announcement for one
 * mission composed by keyboard, previewed in both languages at both widths, test-sent, sent after a
 * confirmation that states the audience, paused and resumed, and followed to the end. Every matching
 * subscriber gets exactly one email, in their language. axe-core checks every state on the way.
 */

const SHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

let h: Harness;
let browser: Browser;
const STAFF = "anna.staff@example.org";
let token: string;

/** The subscribers of the test: who should get the announcement, and who should not. */
const people: { address: string; language: "sv" | "en"; gets: boolean }[] = [];

beforeAll(async () => {
  h = await startHarness();
  browser = await launchBrowser();
  token = await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: STAFF, groups: ["staff", "publisher"] });
  const audience = [
    { language: "sv", cadence: "immediate", missions: ["food-system"], topics: ["news"], gets: true },
    { language: "en", cadence: "weekly", missions: ["food-system", "mobility"], topics: ["news", "seminar"], gets: true },
    { language: "sv", cadence: "monthly", missions: ["food-system"], topics: ["news", "publication"], gets: true },
    { language: "en", cadence: "weekly", missions: ["food-system"], topics: ["seminar"], gets: false },
    { language: "sv", cadence: "weekly", missions: ["mobility"], topics: ["news"], gets: false },
  ] as const;
  for (const p of audience) {
    const address = await h.subscribe({ language: p.language, cadence: p.cadence, missions: [...p.missions], topics: [...p.topics] });
    people.push({ address, language: p.language, gets: p.gets });
  }
  await h.idle();
}, 180_000);

afterAll(async () => {
  await closeBrowser(browser);
  await h?.stop();
});

/** axe on the console as it is now; the email previews' frames are left out (see checkA11y), their titles are checked here. */
async function check(page: Page, step: string) {
  await checkA11y(page, step, { exclude: [".device iframe"] });
  await screenshot(page, `staff-console-${step}`);
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();
/** Waits for a value the console reaches by itself (polling, debounced previews, the send). */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });

/**
 * A picture of the preview frames as they are on screen. Headless Chromium does not paint sandboxed
 * frames that were off screen when they loaded into a full-page screenshot, so the frames are
 * scrolled into view first.
 */
async function previewShot(page: Page, name: string, selector = ".preview-grid") {
  if (!SCREENSHOTS_ON) return;
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  mkdirSync(SHOTS, { recursive: true });
  await page.locator(selector).screenshot({ path: `${SHOTS}${name}.png` });
}

describe("the staff console", () => {
  it("asks for sign-in without a token, and signs in with a pasted one (Swedish, mobile)", async () => {
    const context = await newContext(browser, { baseURL: h.cloud.urls.site, viewport: "mobile" });
    const page = await context.newPage();
    await page.goto("/staff");
    await page.locator("#sign-in").waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("sv");
    expect(await page.locator("#workspace").isHidden()).toBe(true);
    await check(page, "sign-in-sv-mobile");

    await page.fill("#token-input", "not a token");
    await page.click("#token-form button[type=submit]");
    await poll(() => text(page, "#sign-in-error")).not.toBe("");

    const refused = await signStaffToken(TEST_SECRETS.STAFF_SIGNING_KEY, { email: "editor@example.org", groups: ["editors"] });
    await page.fill("#token-input", refused);
    await page.click("#token-form button[type=submit]");
    await poll(() => text(page, "#sign-in-error")).toContain("staff");

    await page.fill("#token-input", token);
    await page.click("#token-form button[type=submit]");
    await page.locator("#workspace").waitFor();
    expect(await text(page, "#session-who")).toContain(`Inloggad som ${STAFF}`);
    await page.locator("#charts canvas").first().waitFor();
    await check(page, "overview-sv-mobile");
    await context.close();
  });

  it("signs in from the URL's fragment, removes the token from the address, and shows charts with their numbers as a table", async () => {
    const context = await newContext(browser, { baseURL: h.cloud.urls.site });
    const page = await context.newPage();
    await page.goto(`/staff?lang=en#token=${token}`);
    await page.locator("#workspace").waitFor();
    expect(page.url()).not.toContain("token");
    expect(await text(page, "#session-who")).toContain(`Signed in as ${STAFF}`);

    const food = page.locator('#charts [data-mission="food-system"]');
    await food.locator("canvas").waitFor();
    expect(await page.evaluate("Boolean(window.Chart && window.Chart.getChart(document.getElementById('chart-food-system')))")).toBe(true);
    const label = await food.locator("canvas").getAttribute("aria-label");
    expect(label).toMatch(/^A new recipe for the food system: 4 subscribers today\./);
    const today = food.locator("table tbody tr").last();
    const cells = await today.locator("th, td").allTextContents();
    const headers = await food.locator("table thead th").allTextContents();
    const row = Object.fromEntries(headers.map((hd, i) => [hd, cells[i]]));
    expect(row).toMatchObject({ Subscribers: "4", Joined: "4", Left: "0", Sent: "0" });
    expect(await food.locator("table caption").innerText()).toMatch(/per day/);
    await page.locator("#departures").getByText("No one has answered in this period.").waitFor();
    await check(page, "overview-en-desktop");

    await page.click('a[data-view="digests"]');
    await page.locator("#run-list").getByText("No runs yet.").waitFor();
    await page.click("#run-weekly");
    await page.locator("#confirm-dialog[open]").waitFor();
    await check(page, "digest-confirm-en");
    await page.click("#confirm-yes");
    await page.locator("#run-table tbody tr").first().waitFor();
    expect(await text(page, "#run-table tbody tr:first-child")).toMatch(/Weekly/);
    // Today's digest, for the daily readers, from its own button.
    await page.click("#run-daily");
    await page.locator("#confirm-dialog[open]").getByText("today's digest", { exact: false }).first().waitFor();
    await page.click("#confirm-yes");
    await page.locator("#run-table tbody tr", { hasText: "Daily" }).first().waitFor();
    await check(page, "digests-en-desktop");
    await context.close();
  });

  it("shows under a digest run why it failed and which items it left out, and why a paused one paused, with a publisher's resume (Swedish)", async () => {
    // A digest that paused itself over the complaint limit: its campaign paused with the figures, its run planned.
    const paused = "digest#weekly#2026-W01";
    await new DynamoOutbox(h.doc, h.cloud.tableName).openCampaign(paused, "digest", Date.now());
    await new DynamoOutbox(h.doc, h.cloud.tableName).addPlanned(paused, 1200, 24, 0, "seed");
    const reason = { code: "complaint_rate" as const, count: 3, sent: 600, rate: 0.005, limit: 0.001, at: new Date().toISOString(), message: "Paused automatically: 3 complaints for 600 emails sent (0.5%), over the 0.1% limit." };
    expect(await new DynamoAnnouncements(h.doc, h.cloud.tableName).pauseCampaign(paused, reason)).toBe(true);
    await new DynamoDigestRuns(h.doc, h.cloud.tableName).putRun({ runId: "run-paused", cadence: "weekly", period: "2026-W01", campaign: paused, state: "planned", planned: 1200, empty: 0, createdAt: new Date(Date.now() - 60_000).toISOString() });
    await new DynamoDigestRuns(h.doc, h.cloud.tableName).putRun({
      runId: "run-with-warnings",
      cadence: "monthly",
      period: "2026-12",
      campaign: "digest#monthly#2026-12",
      state: "failed",
      planned: 0,
      empty: 2,
      createdAt: new Date().toISOString(),
      error: "No digest could be sent: every item could not be put into an email (legacy-report).",
      warnings: [{ code: "item_left_out", itemId: "legacy-report", version: 3, reason: 'Content email: item "legacy-report" has a URL that cannot be used.' }],
    });
    const context = await newContext(browser, { baseURL: h.cloud.urls.site });
    const page = await context.newPage();
    await page.goto(`/staff#token=${token}`);
    await page.locator("#workspace").waitFor();
    await page.click('a[data-view="digests"]');
    const notes = page.locator('#run-table tr[data-run-notes="run-with-warnings"] li');
    await notes.first().waitFor();
    expect(await notes.allInnerTexts()).toEqual([
      "Körningen misslyckades: No digest could be sent: every item could not be put into an email (legacy-report).",
      'legacy-report (version 3) kom inte med i någon sammanfattning eftersom det inte går att göra mejl av det: Content email: item "legacy-report" has a URL that cannot be used.',
    ]);
    // A run with nothing to report gets no line.
    expect(await page.locator("#run-table tr[data-run-notes]").count()).toBe(1);
    // The paused run says why, in Swedish with Swedish numbers, and offers resume and cancel.
    const pausedRow = page.locator('#run-table tr[data-run-paused="run-paused"]');
    expect(await pausedRow.locator(".paused-reason").innerText()).toMatch(/^Pausad automatiskt: 3 klagomål på 600 skickade mejl \(0,5\s%\), över gränsen 0,1\s%\.$/);
    await check(page, "digests-warnings-sv");
    await page.getByRole("button", { name: "Återuppta 2026-W01" }).click();
    await page.locator("#confirm-dialog[open]").waitFor();
    expect(await text(page, "#confirm-title")).toBe("Återuppta 2026-W01?");
    expect(await text(page, "#confirm-text")).toMatch(/^1\s200 mottagare som inte fått den får den nu/);
    await page.click("#confirm-yes");
    await poll(() => text(page, "#console-status")).toBe("Återupptagen: 1\u00a0200 mottagare kvar.");
    await poll(() => pausedRow.count()).toBe(0);
    expect(await page.locator('#run-table tr[data-run="run-paused"] .badge').textContent()).toBe("Skickas");
    await context.close();
  });

  it("shows the service's health: each figure's status in words as well as colour, and the daily rates charted against the limits (Swedish)", async () => {
    const context = await newContext(browser, { baseURL: h.cloud.urls.site });
    const page = await context.newPage();
    await page.goto(`/staff#token=${token}`);
    await page.locator("#workspace").waitFor();
    await page.click('a[data-view="health"]');
    await page.locator("#health-overall").waitFor();
    expect(page.url()).toMatch(/#health$/);
    // The failed run of the test before is over its limit, and so the whole.
    expect(await text(page, "#health-overall")).toContain("Över gränsen");
    const week = page.locator('[data-window="7"]');
    expect(await week.locator(".summary-figure").first().innerText()).toMatch(/Skickade mejl\s+\d+/);
    expect(await week.locator(".health-figure .health-status").allInnerTexts()).toEqual(["✓ OK", "✓ OK"]);
    const rows = await page.locator("#health-dead-letters tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows).toEqual(["Sändning", "Anmälningar", "Planering", "Innehållshändelser", "Återkoppling från SES"].map((queue) => [queue, "0", "✓ OK"]));
    expect(await page.evaluate("Boolean(window.Chart && window.Chart.getChart(document.getElementById('health-chart')))")).toBe(true);
    expect(await page.locator("#health-chart").getAttribute("aria-label")).toMatch(/^Andel klagomål och andel hårda studsar per dag/);
    expect(await page.locator("#health-chart").evaluate((c) => [...c.closest("section")!.querySelectorAll("tbody tr")].length)).toBe(30);
    expect(await page.locator('#health [aria-labelledby="health-runs-title"] tbody tr').first().innerText()).toContain("Över gränsen");
    await check(page, "health-sv");
    await context.close();
  });

  // A long walk with an axe check at each step: on two busy cores, next to another browser file, it can take minutes.
  it("composes an announcement by keyboard, previews both languages at both widths, test-sends, sends to the audience it states, pauses, resumes and finishes", async () => {
    const context = await newContext(browser, { baseURL: h.cloud.urls.site });
    const page = await context.newPage();
    await page.goto(`/staff?lang=en#token=${token}`);
    await page.locator("#workspace").waitFor();
    await page.locator("#charts canvas").first().waitFor();

    const key = async (id: string, press?: string) => {
      const f = await tabTo(page, (x) => x.id === id);
      expect(f.visible, `focus on #${id} is visible`).toBe(true);
      if (press) await page.keyboard.press(press);
    };
    const nav = await tabTo(page, (x) => x.tag === "a" && x.text === "Announcements");
    expect(nav.visible).toBe(true);
    await page.keyboard.press("Enter");
    expect((await focused(page)).id).toBe("announcements-title");
    await page.locator("#announcement-list").getByText("No announcements yet").waitFor();
    await check(page, "announcements-empty-en");

    await key("new-announcement", "Enter");
    expect((await focused(page)).id).toBe("editor-heading");
    await page.locator("#mission-food-system").waitFor();
    const copy = {
      sv: { title: "Välkommen till lanseringen av Missions Playbook", body: "Vi lanserar **Missions Playbook** den 3 december.\n\n- Hur missioner formas\n- Vad vi lärt oss" },
      en: { title: "Join the launch of the Missions Playbook", body: "We launch the **Missions Playbook** on 3 December.\n\n- How missions are shaped\n- What we learnt" },
    };
    await key("title-sv");
    await page.keyboard.type(copy.sv.title);
    await key("body-sv");
    await page.keyboard.type(copy.sv.body);
    await key("title-en");
    await page.keyboard.type(copy.en.title);
    await key("body-en");
    await page.keyboard.type(copy.en.body);
    // Saved without a mission: the summary names the problem, links to it, and takes the focus.
    await page.click("#save-draft");
    await page.locator("#compose-errors").waitFor();
    expect((await focused(page)).id).toBe("compose-errors");
    expect(await text(page, "#compose-errors")).toContain("Choose at least one mission.");
    expect(await page.locator("#missions-fieldset .field-error").innerText()).toBe("Choose at least one mission.");
    await check(page, "compose-errors-en");
    await key("mission-food-system", "Space");
    await key("event-place");
    await page.keyboard.type("Stockholm");
    await page.fill("#event-date", "2030-12-03");
    await page.fill("#event-time", "09:30");
    await page.fill("#cta-label-sv", "Anmäl dig");
    await page.fill("#cta-label-en", "Sign up");
    await page.fill("#cta-url", "https://missions.example.org/playbook");

    // The live preview: both languages, each at 600 and 375 px, in frames that run no script.
    await poll(() => text(page, "#preview-status")).toBe("The preview is up to date.");
    for (const lang of ["sv", "en"] as const) {
      for (const [device, width] of [["desktop", 600], ["mobile", 375]] as const) {
        const frame = page.locator(`#preview-${lang}-${device}`);
        expect(await frame.getAttribute("sandbox")).toBe("");
        expect(await frame.getAttribute("title")).toMatch(lang === "sv" ? /Swedish/ : /English/);
        expect(await page.evaluate(`document.getElementById("preview-${lang}-${device}").clientWidth`)).toBe(width);
        await poll(() => page.frameLocator(`#preview-${lang}-${device}`).locator("body").innerText()).toContain(copy[lang].title);
      }
      expect(await text(page, `#preview-${lang}-subject`)).toContain(copy[lang].title);
    }
    const sv = (await page.locator("#preview-sv-desktop").boundingBox())!;
    const en = (await page.locator("#preview-en-desktop").boundingBox())!;
    expect(en.x).toBeGreaterThan(sv.x + 500);
    expect(Math.abs(en.y - sv.y)).toBeLessThan(40);
    await check(page, "compose-en-desktop");
    await previewShot(page, "staff-console-preview-en-desktop");

    await key("save-draft", "Enter");
    await poll(() => text(page, "#console-status")).toBe("The draft is saved.");
    expect(await text(page, "#editor-heading")).toBe(`Announcement: ${copy.en.title}`);

    // A test to oneself: marked, and only to that address.
    expect(await page.inputValue("#test-to")).toBe(STAFF);
    await key("send-test", "Enter");
    await poll(() => text(page, "#console-status")).toContain(`The test was sent to ${STAFF}`);
    const tests = await h.mailTo(STAFF);
    expect(tests.map((m) => m.subject).sort()).toEqual([expect.stringContaining(copy.en.title), expect.stringContaining(copy.sv.title)].sort());
    for (const m of tests) expect(m.subject).toMatch(/TEST/);
    await check(page, "test-sent-en");

    // Send, with the audience stated first; hold the send queue so the progress can be paused.
    h.cloud.sendQueue.pause();
    await key("review-send", "Enter");
    await page.locator("#confirm-dialog[open]").waitFor();
    const audience = people.filter((p) => p.gets).length;
    expect(await text(page, "#confirm-text")).toContain(`This emails ${audience} subscribers who follow A new recipe for the food system and chose news`);
    expect(await text(page, "#confirm-yes")).toBe(`Yes, send to ${audience} people`);
    expect((await focused(page)).id).toBe("confirm-no");
    await check(page, "send-confirm-en");
    await screenshot(page, "staff-console-send-confirm-en");
    await page.keyboard.press("Shift+Tab");
    expect((await focused(page)).id).toBe("confirm-yes");
    expect((await focused(page)).visible).toBe(true);
    await page.keyboard.press("Enter");

    await page.locator("#progress-card").waitFor();
    await poll(() => text(page, "#progress-state")).toBe("SENDING");
    await poll(() => page.getAttribute("#send-progress", "max")).toBe(String(audience));
    expect(await text(page, "#progress-text")).toBe(`0 of ${audience} processed (0%)`);
    await page.locator("#pause").waitFor();
    await check(page, "progress-sending-en");

    await page.click("#pause");
    await page.locator("#resume").waitFor();
    expect(await text(page, "#paused-reason")).toBe(`Paused by ${STAFF}.`);
    expect(await text(page, "#progress-state")).toBe("PAUSED");
    await check(page, "progress-paused-en");

    await page.click("#resume");
    await page.locator("#pause").waitFor();
    await poll(() => text(page, "#progress-state")).toBe("SENDING");
    expect(await page.locator("#paused-reason").isHidden()).toBe(true);

    // The send pauses itself (as the feedback function does on too many complaints): the console says why.
    const { body: list } = await h.request("GET", "/api/staff/announcements", { headers: { authorization: `Bearer ${token}` } });
    const id = list.announcements[0].id as string;
    const at = new Date().toISOString();
    const paused = await new DynamoAnnouncements(h.doc, h.cloud.tableName).pauseCampaign(`announcement#${id}`, {
      code: "complaint_rate",
      message: "Paused automatically: 3 complaints for 1200 emails sent (0.25%), over the 0.1% limit.",
      at,
    });
    expect(paused).toBe(true);
    await poll(() => text(page, "#paused-reason")).toBe("Paused: the send paused itself because complaints passed 0.1% of the emails sent. Review the content and the audience before resuming.");
    await check(page, "progress-auto-paused-en");
    await page.click("#resume");
    await poll(() => text(page, "#progress-state")).toBe("SENDING");
    h.cloud.sendQueue.resume();
    await h.idle();
    await poll(() => text(page, "#progress-state")).toBe("DONE");
    expect(await text(page, "#progress-text")).toBe(`${audience} of ${audience} processed (100%)`);
    expect(await page.getAttribute("#send-progress", "value")).toBe(String(audience));
    expect(await text(page, '#counters [data-counter="sent"] dd')).toBe(String(audience));
    expect(await page.locator("#pause").isHidden()).toBe(true);
    expect(await page.locator("#cancel").isHidden()).toBe(true);
    await check(page, "progress-done-en");

    for (const p of people) {
      const got = (await h.mailTo(p.address)).filter((m) => m.subject.includes(copy.sv.title) || m.subject.includes(copy.en.title));
      if (!p.gets) {
        expect(got, p.address).toEqual([]);
        continue;
      }
      expect(got, p.address).toHaveLength(1);
      expect(got[0]!.subject).toContain(copy[p.language].title);
      expect(got[0]!.subject).not.toMatch(/TEST/);
      expect(got[0]!.body.html).toContain(`lang="${p.language}"`);
    }

    await page.click("#back-to-list");
    const row = page.locator("#announcement-table tbody tr").first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(new RegExp(`${copy.en.title}[\\s\\S]*A new recipe for the food system[\\s\\S]*DONE[\\s\\S]*${audience} / ${audience}`));
    await check(page, "announcements-list-en");
    await context.close();
  }, 360_000);

  it("schedules an announcement in Stockholm time, says so, and cancels it (Swedish)", async () => {
    const context = await newContext(browser, { baseURL: h.cloud.urls.site });
    const page = await context.newPage();
    await page.goto(`/staff#token=${token}`);
    await page.locator("#workspace").waitFor();
    await page.click('a[data-view="announcements"]');
    await page.click("#new-announcement");
    await page.locator("#mission-food-system").waitFor();
    const title = "Seminarium om Missions Playbook";
    await page.fill("#title-sv", title);
    await page.fill("#body-sv", "Välkommen på seminarium.");
    await page.check("#mission-food-system");
    await poll(() => text(page, "#preview-status")).toBe("Förhandsvisningen är uppdaterad.");
    expect(await text(page, "#preview-en-note")).toContain("Inget innehåll på engelska");

    await page.check("#send-later");
    expect(await text(page, "#send-at-field")).toContain("Svensk tid (Europe/Stockholm)");
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.fill("#send-at", `${day}T10:00`);
    await page.click("#review-send");
    // The checks before sending warn that English readers get the Swedish version; going on needs the box ticked.
    await poll(() => text(page, "#send-error")).toBe("Kryssa i rutan för att bekräfta att du har läst varningarna.");
    expect(await text(page, '#checks-list li[data-check="language-missing"]')).toMatch(/^VARNING Språk som saknas \(en\): There is no en version: 1 reader/);
    expect(await text(page, "#checks-summary")).toMatch(/^Kontrollerna hittade 1 varning\(ar\)\. .*Mottagare i dag: 3 \(2 läser svenska, 1 engelska\)\.$/);
    expect(await text(page, "#review-status")).toBe("Inget godkännande behövs (3 personer, högst 100). En utgivare kan skicka det.");
    await check(page, "send-checks-sv");
    await page.check("#ack-warnings");
    await page.click("#review-send");
    await page.locator("#confirm-dialog[open]").waitFor();
    expect(await text(page, "#confirm-title")).toBe("Schemalägga utskicket?");
    expect(await text(page, "#confirm-text")).toMatch(/Utskicket går ut .*10[.:]00 \(svensk tid\) .* i dag är det 3 prenumeranter/);
    await check(page, "schedule-confirm-sv");
    await page.click("#confirm-yes");
    await poll(() => text(page, "#progress-state")).toBe("SCHEMALAGT");
    expect(await text(page, "#scheduled-for")).toMatch(/^Schemalagt till .*10[.:]00 \(svensk tid\)\.$/);
    await check(page, "scheduled-sv");

    await page.click("#cancel");
    await page.locator("#confirm-dialog[open]").waitFor();
    await page.click("#confirm-yes");
    await poll(() => text(page, "#progress-state")).toBe("AVBRUTET");
    expect(await page.locator("#cancel").isHidden()).toBe(true);
    const sent = (await h.mailbox()).filter((m) => m.subject.includes(title));
    expect(sent).toEqual([]);
    await context.close();
  }, 120_000);

  it("opens an announcement on a phone and shows its progress and preview", async () => {
    const context = await newContext(browser, { baseURL: h.cloud.urls.site, viewport: "mobile" });
    const page = await context.newPage();
    await page.goto(`/staff?lang=en#token=${token}`);
    await page.locator("#workspace").waitFor();
    await page.click('a[data-view="announcements"]');
    await page.locator("#announcement-table tbody tr", { hasText: "Join the launch" }).locator("button").click();
    await page.locator("#progress-card").waitFor();
    await poll(() => text(page, "#progress-state")).toBe("DONE");
    expect(await page.locator("#title-en").isDisabled()).toBe(true);
    expect(await page.locator("#send-card").isHidden()).toBe(true);
    await poll(() => text(page, "#preview-status")).toBe("The preview is up to date.");
    await check(page, "announcement-en-mobile");
    await previewShot(page, "staff-console-preview-en-mobile", "#preview-en-mobile");
    await context.close();
  }, 120_000);
});
