/**
 * Rate fidelity: the sink throttles above `limit` recipients a second (a token bucket holding one second's worth,
 * as SES does), the app is configured for the same rate, and a digest big enough to last over a
 * minute is sent. Measures recipients accepted per wall-clock second and checks exactly-once delivery.
 *
 *   node --import tsx bench/scenarios/rate.ts <subscribers> <limit> [disk|memory] [app rate]
 *
 * The app's SEND_RATE_PER_SECOND is `limit` unless `app rate` is given (to try pacing with headroom).
 */
import { finish, main } from "../lib/child";
import { progress, step } from "../lib/progress";
import { median } from "../lib/stats";
import { expectedRecipients, publishContent, seedSubscribers, startBenchStack, syntheticContent, syntheticSubscribers } from "../lib/stack";

const [subscribersArg = "7000", limitArg = "100", storage = "memory", appRateArg] = process.argv.slice(2);
const count = Number(subscribersArg);
const limit = Number(limitArg);
const appRate = appRateArg === undefined ? limit : Number(appRateArg);

main(async () => {
  step(`rate fidelity: ${count.toLocaleString("en")} recipients at ${limit}/s; starting the local stack`);
  const stack = await startBenchStack({ env: { SEND_RATE_PER_SECOND: String(appRate), SEND_MODE: "bulk" }, sink: { maxPerSecond: limit }, storage: storage as "disk" | "memory" });
  try {
    const subscribers = syntheticSubscribers(count, 99, "one-topic");
    await seedSubscribers(stack.doc, stack.cloud.tableName, subscribers);
    // Seminars only, one or two per mission: a handful of variants, so planning is short.
    const items = syntheticContent(40, 3).filter((i) => i.kind === "seminar");
    await publishContent(stack, items);
    const expected = expectedRecipients(subscribers, items);

    stack.sink.reset();
    const t0 = performance.now();
    const started = await stack.staff("POST", "/api/staff/digests/run", { cadence: "weekly" });
    if (started.status !== 202) throw new Error(`digest run refused: ${JSON.stringify(started.body)}`);
    let tPlanned: number | undefined;
    void stack.cloud.planQueue.idle().then(() => (tPlanned = performance.now()));
    let tFirst: number | undefined;
    while (tPlanned === undefined) {
      if (tFirst === undefined && stack.sink.total() > 0) tFirst = performance.now();
      await new Promise((r) => setTimeout(r, 10));
    }
    const planned = (await stack.staff("GET", `/api/staff/runs/${started.body.runId}`)).body.planned as number;
    const bar = progress(`sending at ${limit}/s`, planned);
    const deadline = Date.now() + (planned / limit) * 3000 + 120_000;
    while (stack.sink.total() < planned) {
      if (Date.now() > deadline) throw new Error(`only ${stack.sink.total()} of ${planned} accepted in time`);
      if (tFirst === undefined && stack.sink.total() > 0) tFirst = performance.now();
      bar.update(stack.sink.total(), `${stack.sink.calls().throttledEntries} throttled entries`);
      await new Promise((r) => setTimeout(r, 50));
    }
    bar.done();
    const tLast = performance.now();
    await stack.cloud.idle();

    // Every wall-clock second from the first send to the last, a second without sends counting as 0.
    const accepted = stack.sink.acceptedPerSecond();
    const secondsWithSends = [...accepted.keys()].sort((a, b) => a - b);
    const perSecond: [number, number][] = [];
    for (let second = secondsWithSends[0]!; second <= secondsWithSends.at(-1)!; second++) perSecond.push([second, accepted.get(second) ?? 0]);
    // Steady window: every whole second between the first and the last (both partial).
    const steady = perSecond.slice(1, -1).map(([, n]) => n);
    const counts = stack.sink.counts();
    let duplicates = 0;
    for (const n of counts.values()) if (n > 1) duplicates += n - 1;
    let missing = 0;
    for (const address of expected) if (!counts.has(address)) missing += 1;
    const run = (await stack.staff("GET", `/api/staff/runs/${started.body.runId}`)).body;

    finish({
      subscribers: count,
      limit,
      appRate,
      storage,
      expected: expected.size,
      planned,
      planningSeconds: (tPlanned - t0) / 1000,
      sendingSeconds: (tLast - (tFirst ?? tLast)) / 1000,
      steadySeconds: steady.length,
      medianPerSecond: median(steady),
      minPerSecond: Math.min(...steady),
      maxPerSecond: Math.max(...steady),
      secondsAtLeast95: steady.filter((n) => n >= limit * 0.95).length,
      secondsOverLimit: steady.filter((n) => n > limit).length,
      perSecond: perSecond.map(([, n]) => n),
      sink: stack.sink.calls(),
      verification: { delivered: stack.sink.total(), distinct: counts.size, duplicates, missing },
      run: { state: run.state, planned: run.planned, sent: run.sent, skipped: run.skipped, failed: run.failed },
      dynamodbMaxRssMB: stack.dynamoProcess()?.maxRssMB,
    });
  } finally {
    await stack.stop();
  }
});
