import { describe, expect, it, vi } from "vitest";
import { countBatch, countTransactional, METRICS_NAMESPACE, publishingMetrics, reportLeftOut, sendMetrics } from "../../packages/functions/src/lib/metrics";
import type { Config } from "../../packages/core/src/platform/config";
import type { Wiring } from "../../packages/functions/src/wiring/wiring";

/** The send path's metrics: what the sender counts, and that they are published once per invocation in AWS only. */

/** The EMF documents the metrics printed while `run` ran. */
async function emitted(run: () => Promise<unknown>): Promise<any[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: any) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await run().catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return lines.flatMap((l) => l.split("\n")).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l));
}

/** A wiring whose configuration says where the handler runs: all publishingMetrics reads of it. */
const wiringIn = (MODE: Config["MODE"], SST_STAGE = "prod") => ({ config: { MODE, SST_STAGE } }) as Wiring;

describe("send metrics", () => {
  it("count a sent batch's recipients, sent, skipped and failed, and a throttled batch's release", () => {
    const metrics = sendMetrics("prod");
    countBatch(metrics, { outcome: "sent", sent: 47, skipped: 2, failed: 1 });
    countBatch(metrics, { outcome: "retry", delaySeconds: 5, reason: "send rate reached" });
    countBatch(metrics, { outcome: "duplicate" });
    countTransactional(metrics, "sent");
    countTransactional(metrics, "skipped_suppressed");
    const emf = metrics.serializeMetrics() as any;
    const directive = emf._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Dimensions).toEqual([expect.arrayContaining(["service", "stage"])]);
    expect(emf.stage).toBe("prod");
    expect(emf.service).toBe("mission-mail");
    expect(emf).toMatchObject({ RecipientsSent: 47, RecipientsSkipped: 2, RecipientsFailed: 1, ThrottleReleases: 1, TransactionalSent: 1, TransactionalSkipped: 1 });
  });

  it("count the content items a planner left out, with a warning log line naming each", () => {
    const metrics = sendMetrics("prod");
    const lines: string[] = [];
    const capture = (chunk: unknown) => (lines.push(String(chunk)), true);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(capture);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(capture);
    try {
      reportLeftOut(metrics, [], { runId: "run-1" });
      expect(metrics.hasStoredMetrics()).toBe(false);
      reportLeftOut(
        metrics,
        [
          { code: "item_left_out", itemId: "legacy-a", version: 2, reason: "has a URL that cannot be used" },
          { code: "item_left_out", itemId: "legacy-b", version: 1, reason: "has a URL that cannot be used" },
        ],
        { runId: "run-1" },
      );
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect(metrics.serializeMetrics()).toMatchObject({ ContentItemsLeftOut: 2 });
    const logged = lines.flatMap((l) => l.split("\n")).filter((l) => l.includes("content item left out")).map((l) => JSON.parse(l));
    expect(logged.map((l) => [l.level, l.itemId, l.runId])).toEqual([
      ["WARN", "legacy-a", "run-1"],
      ["WARN", "legacy-b", "run-1"],
    ]);
  });

  it("are published once per invocation in AWS, with the configuration's stage, also when the handler throws", async () => {
    const metrics = sendMetrics();
    const ok = publishingMetrics(metrics, async () => countBatch(metrics, { outcome: "sent", sent: 50, skipped: 0, failed: 0 }));
    const [doc, ...rest] = await emitted(() => ok(undefined, undefined, Promise.resolve(wiringIn("aws", "prod"))));
    expect(rest).toEqual([]);
    expect(doc).toMatchObject({ RecipientsSent: 50, stage: "prod" });

    const failing = publishingMetrics(metrics, async () => {
      countBatch(metrics, { outcome: "retry", delaySeconds: 5, reason: "SES kept throttling" });
      throw new Error("boom");
    });
    const docs = await emitted(() => failing(undefined, undefined, wiringIn("aws")));
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({ ThrottleReleases: 1 });
  });

  it("are discarded when the configuration cannot be read", async () => {
    const metrics = sendMetrics();
    const run = publishingMetrics(metrics, async () => countTransactional(metrics, "sent"));
    const broken = { get config(): Config { throw new Error("TABLE_NAME: required"); } } as Wiring;
    expect(await emitted(() => run(undefined, undefined, broken))).toEqual([]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it("are discarded by the local cloud, which runs the same handler in-process", async () => {
    const metrics = sendMetrics();
    const run = publishingMetrics(metrics, async () => countTransactional(metrics, "sent"));
    expect(await emitted(() => run(undefined, undefined, wiringIn("local")))).toEqual([]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});
