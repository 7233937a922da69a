/**
 * Per-recipient work after compilation versus MJML per recipient.
 *
 *   node --import tsx bench/scenarios/per-recipient.ts compile <variant.json>   (MJML: compile once, then per "recipient")
 *   node --import tsx bench/scenarios/per-recipient.ts send <variant.json>      (what the sender does per recipient; no MJML loaded)
 *
 * The two halves run in separate processes so the sender's half shows its own memory, without MJML.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { finish, main } from "../lib/child";
import { progress } from "../lib/progress";
import { median } from "../lib/stats";
import { syntheticContent, BENCH_SECRETS } from "../lib/stack";

const [phase = "send", variantFile = ""] = process.argv.slice(2);
const KEYS = BENCH_SECRETS.TOKEN_KEYS.split(",");
const BASE = "https://missions.example.org";
const MAILTO = "unsubscribe@missions.example.org";
const id = (i: number) => `01JBBENCH${String(i).padStart(17, "0")}`;

/** A realistic weekly digest: 10 upcoming seminars and 10 publications, in Swedish. */
function digestSpec() {
  const all = syntheticContent(200, 11);
  const seminars = all.filter((i) => i.kind === "seminar").slice(0, 10);
  const publications = all.filter((i) => i.kind !== "seminar").slice(0, 10);
  return { template: "digest" as const, cadence: "weekly" as const, period: "2026-W48", seminars, publications };
}

main(async () => {
  if (phase === "compile") {
    const { compileContentEmail } = await import("@mission-mail/core/emails/compile-content");
    const spec = digestSpec();
    const loadStart = performance.now();
    const first = await compileContentEmail(spec, "sv");
    const firstMs = performance.now() - loadStart;
    writeFileSync(variantFile, JSON.stringify(first));
    const renders = 40;
    const times: number[] = [];
    const bar = progress("MJML per recipient (naive)", renders);
    for (let i = 0; i < renders; i++) {
      const t = performance.now();
      await compileContentEmail(spec, "sv");
      times.push(performance.now() - t);
      bar.update(i + 1);
    }
    bar.done();
    finish({ renders, firstRenderMs: firstMs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), htmlBytes: Buffer.byteLength(first.html), textBytes: Buffer.byteLength(first.text) });
  }

  const { recipientLinks, bulkData, bulkTemplate } = await import("@mission-mail/core/campaigns/recipient-links");
  const { personalise } = await import("@mission-mail/core/emails/render");
  const variant = JSON.parse(readFileSync(variantFile, "utf8")) as { subject: string; html: string; text: string };
  bulkTemplate(variant); // per call, not per recipient: done once here so its module is warm
  const now = Date.now();
  const perRep = 20_000;
  const reps = 15;
  let sink = 0;
  const bulk = () => {
    for (let i = 0; i < perRep; i++) {
      const { headers, siteUrl, preferencesUrl, unsubscribeUrl } = recipientLinks(BASE, KEYS, id(i), now, MAILTO);
      const data = bulkData({ siteUrl, preferencesUrl, unsubscribeUrl });
      sink += data.unsubscribeUrl!.length + headers["List-Unsubscribe"]!.length;
    }
  };
  const single = () => {
    for (let i = 0; i < perRep / 10; i++) {
      const { headers, siteUrl, preferencesUrl, unsubscribeUrl } = recipientLinks(BASE, KEYS, id(i), now, MAILTO);
      const email = personalise(variant, { siteUrl, preferencesUrl, unsubscribeUrl });
      sink += email.html.length + headers["List-Unsubscribe"]!.length;
    }
  };
  const links = () => {
    for (let i = 0; i < perRep; i++) sink += recipientLinks(BASE, KEYS, id(i), now, MAILTO).unsubscribeUrl.length;
  };
  // The three are measured in turns, repetition by repetition, so that noise (GC, the other core's
  // work) falls on all of them alike.
  const kinds = [
    { key: "bulk", fn: bulk, recipients: perRep },
    { key: "single", fn: single, recipients: perRep / 10 },
    { key: "linksOnly", fn: links, recipients: perRep },
  ] as const;
  for (const k of kinds) k.fn(); // warm up
  const times = new Map<string, number[]>(kinds.map((k) => [k.key, []]));
  const bar = progress("per-recipient work (3 kinds)", reps);
  for (let r = 0; r < reps; r++) {
    for (const k of kinds) {
      const t = performance.now();
      k.fn();
      times.get(k.key)!.push(((performance.now() - t) * 1000) / k.recipients);
    }
    bar.update(r + 1);
  }
  bar.done();
  const summary = (key: string, recipients: number) => {
    const list = times.get(key)!;
    return { medianUs: median(list), minUs: Math.min(...list), maxUs: Math.max(...list), reps, recipientsPerRep: recipients };
  };
  const result = {
    bulk: summary("bulk", perRep),
    single: summary("single", perRep / 10),
    linksOnly: summary("linksOnly", perRep),
    mjmlLoaded: Object.keys((await import("node:module")).createRequire(import.meta.url).cache ?? {}).some((p) => /node_modules\/mjml/.test(p)),
    checksum: sink % 1000,
  };
  finish(result);
});
