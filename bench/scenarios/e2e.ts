/**
 * End to end on the local stack, from POST /api/staff/digests/run to the last recipient accepted by
 * the counting SES sink:
 *   1. this week's digest for `main` synthetic weekly subscribers (bulk mode, the default), compiled
 *      item by item (the product's path); then, after deleting the campaign, the same digest with
 *      MJML once per variant (DIGEST_COMPILATION=variants), the former path, side by side;
 *   2. the same month's digest for `compare` monthly subscribers, sent once with SendBulkEmail and
 *      once with one SendEmail per recipient (the campaign is deleted in between), side by side;
 *   3. how long writing per-recipient history (one DELIVERY item each, after the sends) takes.
 *
 *   node --import tsx bench/scenarios/e2e.ts <main> <compare> [items] [memory|disk]
 */
import { BatchWriteCommand, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { campaignKey, deliveryKey } from "@mission-mail/core/platform/table-keys";
import { readCampaignBatches } from "@mission-mail/core/platform/dynamo";
import { finish, main } from "../lib/child";
import { progress, step } from "../lib/progress";
import { deleteCampaign, expectedRecipients, publishContent, seedSubscribers, startBenchStack, syntheticContent, syntheticSubscribers, type BenchStack } from "../lib/stack";
import { countSnapshot, installTrace, resetTrace, traceIntervals, traceSnapshot, type Span } from "../lib/trace";

const [mainArg = "100000", compareArg = "10000", itemsArg = "200", storage = "memory"] = process.argv.slice(2);
const mainCount = Number(mainArg);
const compareCount = Number(compareArg);
const itemCount = Number(itemsArg);
if (storage !== "disk" && storage !== "memory") throw new Error(`storage must be disk or memory, not ${storage}`);

/**
 * Switches the sender between SendBulkEmail and SendEmail and the digest planner between item-level
 * and per-variant compilation, as a redeploy with SEND_MODE and DIGEST_COMPILATION would: a new wiring.
 */
function useMode(stack: BenchStack, mode: "bulk" | "single", compilation: "items" | "variants") {
  stack.cloud.rewire({ env: { SEND_MODE: mode, DIGEST_COMPILATION: compilation } });
}

/** Where the planner's time went, from the traced calls (times relative to the run's start). */
function planningBreakdown(trace: Record<string, Span>, planEndMs: number, batches: number) {
  const audience = trace["store.audience"];
  const contentEnd = Math.max(trace["content.upcomingSeminars"]?.lastEndMs ?? 0, trace["content.articlesBetween"]?.lastEndMs ?? 0, audience?.lastEndMs ?? 0);
  const puts = traceIntervals("outbox.putVariant");
  const manyPuts = traceIntervals("outbox.putVariants");
  const freezes = traceIntervals("outbox.freezeBatches");
  const parts = traceIntervals("outbox.putParts");
  const fanout = {
    fanoutSeconds: ((audience?.lastEndMs ?? 0) - (audience?.firstStartMs ?? 0)) / 1000,
    fanoutQueries: audience?.calls ?? 0,
    contentSeconds: (contentEnd - (audience?.lastEndMs ?? contentEnd)) / 1000,
  };
  if (parts.length) {
    // Item by item: every recipe is made (skeletons compiled, blocks rendered) before the parts are
    // stored once; then the recipes are stored, a few at a time; then the batches are frozen.
    const partsStart = Math.min(...parts.map(([s]) => s));
    const partsEnd = Math.max(...parts.map(([, e]) => e));
    const stored = [...puts, ...manyPuts];
    const putsEnd = stored.length ? Math.max(...stored.map(([, e]) => e)) : partsEnd;
    const freezeEnd = freezes.length ? Math.max(...freezes.map(([, e]) => e)) : putsEnd;
    return {
      ...fanout,
      compilation: "items" as const,
      groupingAndFirstCompileSeconds: (partsStart - contentEnd) / 1000,
      compileSeconds: 0,
      putPartsSeconds: (partsEnd - partsStart) / 1000,
      putPartsCalls: parts.length,
      variants: puts.length + (trace["outbox.putVariants"]?.items ?? 0),
      putVariantSeconds: (putsEnd - partsEnd) / 1000,
      freezeSeconds: (freezeEnd - putsEnd) / 1000,
      batches,
      freezeCalls: freezes.length,
      restSeconds: (planEndMs - freezeEnd) / 1000,
    };
  }
  // Per variant: compile, store it (putVariant), freeze its batches, enqueue, variant after variant.
  let compileMs = 0;
  let putMs = 0;
  let freezeMs = 0;
  let firstGapMs = 0;
  let previousEnd = contentEnd;
  puts.forEach(([start, end], i) => {
    const gap = start - previousEnd;
    if (i === 0) firstGapMs = gap;
    else compileMs += gap;
    putMs += end - start;
    const nextStart = puts[i + 1]?.[0] ?? Infinity;
    const mine = freezes.filter(([s]) => s >= end && s < nextStart);
    const lastFreeze = mine.length ? Math.max(...mine.map(([, e]) => e)) : end;
    freezeMs += lastFreeze - end;
    previousEnd = lastFreeze;
  });
  return {
    ...fanout,
    compilation: "variants" as const,
    /** Grouping 100k subscribers into variants, plus compiling the first variant (and loading MJML). */
    groupingAndFirstCompileSeconds: firstGapMs / 1000,
    /** MJML compilation of the other variants, between one variant's batches and the next variant. */
    compileSeconds: compileMs / 1000,
    variants: puts.length,
    putVariantSeconds: putMs / 1000,
    freezeSeconds: freezeMs / 1000,
    batches,
    /** freezeBatches calls: each up to a hundred batches a transaction. */
    freezeCalls: freezes.length,
    restSeconds: (planEndMs - previousEnd) / 1000,
  };
}

async function runDigest(stack: BenchStack, cadence: "weekly" | "monthly", mode: "bulk" | "single", expected: Set<string>, compilation: "items" | "variants" = "items") {
  useMode(stack, mode, compilation);
  stack.sink.reset();
  const jvmBefore = stack.dynamoProcess();
  const cpuBefore = process.cpuUsage();
  resetTrace();
  const t0 = performance.now();
  const started = await stack.staff("POST", "/api/staff/digests/run", { cadence });
  if (started.status !== 202) throw new Error(`digest run refused: ${JSON.stringify(started.body)}`);
  const runId = started.body.runId as string;
  step(`${cadence} digest, ${mode}, compiled by ${compilation === "items" ? "item" : "variant"}: planning (sending starts as soon as the first variant's batches are queued)…`);
  // Sends start while later variants are still being planned: watch for the first one meanwhile.
  let tPlanned: number | undefined;
  void stack.cloud.planQueue.idle().then(() => (tPlanned = performance.now()));
  let tFirst: number | undefined;
  while (tPlanned === undefined) {
    if (tFirst === undefined && stack.sink.total() > 0) tFirst = performance.now();
    await new Promise((r) => setTimeout(r, 10));
  }
  const afterPlan = (await stack.staff("GET", `/api/staff/runs/${runId}`)).body;
  if (afterPlan.state === "failed") throw new Error(`planning failed: ${afterPlan.error}`);
  const planned = afterPlan.planned as number;
  const acceptedWhilePlanning = stack.sink.total();
  step(`planned ${planned.toLocaleString("en")} recipients in ${((tPlanned - t0) / 1000).toFixed(1)} s; ${acceptedWhilePlanning.toLocaleString("en")} already accepted`);

  const bar = progress(`${cadence} digest, sending (${mode})`, planned);
  const deadline = Date.now() + 20 * 60_000;
  while (stack.sink.total() < planned) {
    if (Date.now() > deadline) throw new Error(`only ${stack.sink.total()} of ${planned} accepted after 20 minutes`);
    if (tFirst === undefined && stack.sink.total() > 0) tFirst = performance.now();
    bar.update(stack.sink.total());
    await new Promise((r) => setTimeout(r, 20));
  }
  const tLast = performance.now();
  tFirst ??= tLast;
  bar.done();
  await stack.cloud.idle();
  const tIdle = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const jvmAfter = stack.dynamoProcess();
  const run = (await stack.staff("GET", `/api/staff/runs/${runId}`)).body;

  const counts = stack.sink.counts();
  let duplicates = 0;
  let unexpected = 0;
  for (const [address, n] of counts) {
    if (n > 1) duplicates += n - 1;
    if (!expected.has(address)) unexpected += n;
  }
  let missing = 0;
  for (const address of expected) if (!counts.has(address)) missing += 1;

  const trace = traceSnapshot();
  const counted = countSnapshot();
  const header = await stack.doc.send(new GetCommand({ TableName: stack.cloud.tableName, Key: campaignKey(run.campaign as string) }));
  const batches = (header.Item?.batches as number | undefined) ?? 0;
  const perSecond = [...stack.sink.acceptedPerSecond().values()];
  return {
    cadence,
    mode,
    compilation,
    campaign: run.campaign as string,
    expected: expected.size,
    planned,
    totalSeconds: (tLast - t0) / 1000,
    planningSeconds: (tPlanned - t0) / 1000,
    firstSendSeconds: (tFirst - t0) / 1000,
    acceptedWhilePlanning,
    /** From the end of planning to the last send accepted. */
    sendingAfterPlanningSeconds: (tLast - tPlanned) / 1000,
    /** From the first send accepted to the last. */
    sendingSeconds: (tLast - tFirst) / 1000,
    /** Until every batch's result is written and the campaign is done. */
    settledSeconds: (tIdle - t0) / 1000,
    planning: planningBreakdown(trace, tPlanned - t0, batches),
    /** Counted, not timed: DynamoDB requests and capacity units by phase, invocations, MJML compilations. */
    counted: { ...counted, batches, campaignHeaderBytes: header.Item ? JSON.stringify(header.Item).length : 0 },
    run: { state: run.state, planned: run.planned, sent: run.sent, skipped: run.skipped, failed: run.failed },
    verification: { delivered: stack.sink.total(), distinct: counts.size, duplicates, missing, unexpected },
    sink: stack.sink.calls(),
    peakAcceptedPerSecond: Math.max(0, ...perSecond),
    cpu: {
      nodeSeconds: (cpu.user + cpu.system) / 1e6,
      dynamodbSeconds: jvmBefore && jvmAfter ? jvmAfter.cpuSeconds - jvmBefore.cpuSeconds : undefined,
    },
    trace,
  };
}

/**
 * Per-recipient history as a writer after the sends would do it: read the campaign's batches and
 * write one DELIVERY item per sent recipient with BatchWriteItem. Not part of the product yet.
 */
async function writeHistory(stack: BenchStack, campaign: string) {
  const table = stack.cloud.tableName;
  const started = performance.now();
  const items: Record<string, unknown>[] = [];
  // The campaign's batches by number (each has a partition of its own), as the product reads them.
  const { items: batches } = await readCampaignBatches(stack.doc, table, campaign, ["results", "sentAt"]);
  for (const batch of batches) {
    for (const [subscriberId, result] of Object.entries(batch.results as Record<string, string>)) {
      if (result.startsWith("sent:")) items.push({ ...deliveryKey(subscriberId, campaign), type: "delivery", campaign, messageId: result.slice(5), sentAt: batch.sentAt });
    }
  }
  const read = performance.now();
  const bar = progress(`history: ${items.length.toLocaleString("en")} DELIVERY items`, items.length);
  let next = 0;
  let written = 0;
  const worker = async () => {
    while (next < items.length) {
      const part = items.slice(next, next + 25);
      next += 25;
      let request: Record<string, unknown[]> | undefined = { [table]: part.map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length) request = (await stack.doc.send(new BatchWriteCommand({ RequestItems: request as never }))).UnprocessedItems as typeof request;
      written += part.length;
      bar.update(written);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  bar.done();
  const seconds = (performance.now() - started) / 1000;
  return { items: items.length, seconds, readSeconds: (read - started) / 1000, itemsPerSecond: items.length / seconds };
}

main(async () => {
  installTrace();
  step(`end to end: starting the local stack (DynamoDB Local ${storage === "disk" ? "on disk" : "in memory"})`);
  const stack = await startBenchStack({ env: { SEND_RATE_PER_SECOND: "100000", SEND_MODE: "bulk" }, storage });
  try {
    const weekly = syntheticSubscribers(mainCount, 42);
    const monthly = syntheticSubscribers(compareCount, 43);
    const seedWeekly = await seedSubscribers(stack.doc, stack.cloud.tableName, weekly, "weekly", 48);
    const seedMonthly = await seedSubscribers(stack.doc, stack.cloud.tableName, monthly, "monthly", 48);
    const items = syntheticContent(itemCount, 7);
    const publishSeconds = await publishContent(stack, items);
    const kinds = { seminar: 0, publication: 0, news: 0 };
    for (const i of items) kinds[i.kind] += 1;

    const weeklyExpected = expectedRecipients(weekly, items);
    const weeklyRun = await runDigest(stack, "weekly", "bulk", weeklyExpected);
    // The former path on the same digest, for comparison: MJML once per variant.
    await deleteCampaign(stack.doc, stack.cloud.tableName, weeklyRun.campaign);
    const weeklyPerVariant = await runDigest(stack, "weekly", "bulk", weeklyExpected, "variants");
    const monthlyExpected = expectedRecipients(monthly, items);
    const compareBulk = await runDigest(stack, "monthly", "bulk", monthlyExpected);
    const history = await writeHistory(stack, compareBulk.campaign);
    await deleteCampaign(stack.doc, stack.cloud.tableName, compareBulk.campaign);
    const compareSingle = await runDigest(stack, "monthly", "single", monthlyExpected);

    finish({
      storage,
      items: { total: itemCount, ...kinds },
      setup: {
        seedItems: seedWeekly.items + seedMonthly.items,
        seedSeconds: seedWeekly.seconds + seedMonthly.seconds,
        seedItemsPerSecond: (seedWeekly.items + seedMonthly.items) / (seedWeekly.seconds + seedMonthly.seconds),
        publishSeconds,
      },
      main: { subscribers: mainCount, ...weeklyRun },
      mainPerVariant: { subscribers: mainCount, ...weeklyPerVariant },
      compare: { subscribers: compareCount, bulk: compareBulk, single: compareSingle },
      history,
      dynamodbMaxRssMB: stack.dynamoProcess()?.maxRssMB,
    });
  } finally {
    await stack.stop();
  }
});
