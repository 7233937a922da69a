/**
 * A discrete-event simulation of one digest run in AWS, driven by per-call costs rather than the local
 * wall clock: how many requests each step makes (counted by the bench) and how long each kind of call
 * takes in AWS (stated, see DEFAULT_LATENCIES_MS). It follows the product's design:
 *
 * - one planner invocation (the plan queue's consumer takes one job): fan-out, then variant by variant
 *   compile and store it, and every 100 batches freeze them (one TransactWriteItems), count them and
 *   enqueue their pointers (SendMessageBatch of 10);
 * - the send queue's consumers, at most `senderConcurrency` invocations of up to `senderBatchSize`
 *   messages, the batches of one invocation in parallel; each batch leases, reads, reserves its slot
 *   in the shared pacer (GCRA at the SES rate), waits for it, calls SES and writes its results;
 * - SES feedback: a Delivery event per recipient a few seconds after the send, counted on the campaign.
 *
 * It reports the total time, the planner's Lambda time, the queue depth over time and the peak write
 * (and read) units per second on the partition keys that every batch or recipient touches.
 */

/** A point in simulated time, in seconds, and what happens then. */
interface SimEvent {
  at: number;
  seq: number;
  run: () => void;
}

/** A binary min-heap of events by time (ties in insertion order): the simulation's agenda. */
export class Agenda {
  private heap: SimEvent[] = [];
  private seq = 0;
  now = 0;

  at(time: number, run: () => void): void {
    const e = { at: Math.max(time, this.now), seq: this.seq++, run };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(h[parent]!, e)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = e;
  }

  /** Runs events in time order until none is left; answers the time of the last. */
  run(): number {
    while (this.heap.length) {
      const e = this.pop();
      this.now = e.at;
      e.run();
    }
    return this.now;
  }

  private pop(): SimEvent {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = -1;
      let best = last;
      if (l < h.length && before(h[l]!, best)) (m = l), (best = h[l]!);
      if (r < h.length && before(h[r]!, best)) (m = r), (best = h[r]!);
      if (m < 0) break;
      h[i] = h[m]!;
      i = m;
    }
    h[i] = last;
    return top;
  }
}
const before = (a: SimEvent, b: SimEvent) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/**
 * The shared pacer's arithmetic (GCRA, as DynamoSendPacer): a reservation of n recipients starts at
 * max(tat, now) and moves tat on by n / rate.
 */
export function reserveSlot(tat: number, now: number, recipients: number, ratePerSecond: number): { startAt: number; tat: number } {
  const startAt = Math.max(tat, now);
  return { startAt, tat: startAt + recipients / ratePerSecond };
}

/** DynamoDB write units of one item write: 1 per KB, rounded up; transactions cost double. */
export function writeUnits(itemBytes: number, transactional = false): number {
  return Math.max(1, Math.ceil(itemBytes / 1024)) * (transactional ? 2 : 1);
}

/** Read units of reading `bytes`: 4 KB a unit, half for an eventually consistent read. */
export function readUnits(bytes: number, consistent: boolean): number {
  return Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
}

/** Units per whole second on one key: the peak is what DynamoDB's per-partition limit is held against. */
export class PerSecond {
  private readonly seconds = new Map<number, number>();

  add(time: number, units: number): void {
    const s = Math.floor(time);
    this.seconds.set(s, (this.seconds.get(s) ?? 0) + units);
  }

  peak(): number {
    let max = 0;
    for (const v of this.seconds.values()) max = Math.max(max, v);
    return max;
  }

  total(): number {
    let sum = 0;
    for (const v of this.seconds.values()) sum += v;
    return sum;
  }
}

/** Latencies of calls in AWS, in ms: stated, typical in-region figures (not measured here). */
export const DEFAULT_LATENCIES_MS = {
  /** GetItem, PutItem, UpdateItem of a small item. */
  dynamoItem: 6,
  /** A BatchGetItem of up to 100 small items. */
  dynamoPage: 25,
  /** A Query page of 1 MB (the fan-out reads whole pages). */
  dynamoQueryPage: 120,
  /** BatchWriteItem of 25 items. */
  dynamoBatchWrite: 20,
  /** TransactWriteItems of up to 100 puts. */
  dynamoTransaction100: 80,
  /** TransactWriteItems of two updates (completing a batch). */
  dynamoTransactionSmall: 12,
  /** SQS SendMessageBatch of 10. */
  sqsBatch: 15,
  /** SES SendBulkEmail of 50 recipients. */
  sesBulk: 150,
  /** Lambda's poller handing a batch of messages to an invocation (warm). */
  lambdaDispatch: 20,
  /** A cold start of the planner (MJML loaded on demand, not counted here). */
  plannerColdStart: 800,
  /** From SES accepting a message to its Delivery event reaching the feedback function. */
  deliveryEvent: 3_000,
};

export interface SimInputs {
  recipients: number;
  batchSize: number;
  /** Distinct variants (language × item set): a function of the content, not the audience. */
  variants: number;
  /** MJML compile time per variant, ms (measured locally; Lambda's arm64 at 1.5 GB is similar). */
  compileMsPerVariant: number;
  /** Audience fan-out: partitions (mission × topic × cadence) and bytes per membership item. */
  fanoutPartitions: number;
  membershipItemBytes: number;
  /** Bytes of a frozen batch item (recipient ids and keys) and of a stored variant (gzipped). */
  batchItemBytes: number;
  variantItemBytes: number;
  /** The campaign header item's size, which every ADD on it pays for. */
  campaignHeaderBytes: number;
  sesRatePerSecond: number;
  senderConcurrency: number;
  senderBatchSize: number;
  /** Batches frozen, counted and enqueued together (plan-campaign.ts FREEZE_EVERY). */
  freezeEvery: number;
  /** Sender requests per batch beyond the fixed chain (e.g. pacer retries), counted. */
  pacerUpdatesPerBatch: number;
  /** Delivery records written per batch (BatchWriteItem of 25). */
  historyWritesPerBatch: number;
  /** Shards of the outbox's sweep index (GSI1PK OUTBOX#n) and of the campaign's feedback counters. */
  outboxShards: number;
  counterShards: number;
  /** Whether SES Delivery events are counted on the campaign (the feedback function): an announcement's are, a digest's not. */
  feedbackCounters: boolean;
  /**
   * Whether each batch item has a partition key of its own (`CAMPAIGN#<key>#BATCH#<n>`), as the
   * product does since, with the header's `lastBatch` raised once per freeze; false: the earlier
   * layout, batches in the campaign's partition.
   */
  batchPartitions: boolean;
  latenciesMs: typeof DEFAULT_LATENCIES_MS;
}

/** Limits per partition that DynamoDB documents. */
export const PARTITION_LIMITS = { writeUnits: 1_000, readUnits: 3_000 };

export interface KeyLoad {
  key: string;
  /** What writes it. */
  what: string;
  kind: "write" | "read";
  peakPerSecond: number;
  limit: number;
}

export interface SimResult {
  totalSeconds: number;
  planningSeconds: number;
  /** The planner's Lambda time: one invocation, so also its longest. */
  plannerLambdaSeconds: number;
  firstSendSeconds: number;
  lastSendSeconds: number;
  senderInvocations: number;
  senderLambdaSeconds: number;
  /** Messages waiting or in flight on the send queue, sampled every `depthEverySeconds`. */
  queueDepth: number[];
  depthEverySeconds: number;
  keys: KeyLoad[];
}

/** Runs the simulation. */
export function simulate(input: SimInputs): SimResult {
  const L = input.latenciesMs;
  const ms = (n: number) => n / 1000;
  const agenda = new Agenda();
  const batches = Math.ceil(input.recipients / input.batchSize);

  // Partition keys.
  const pacer = new PerSecond();
  const header = new PerSecond();
  const campaignPartition = new PerSecond();
  const outboxIndex = Array.from({ length: input.outboxShards }, () => new PerSecond());
  const counters = Array.from({ length: input.counterShards }, () => new PerSecond());
  const fanout = new PerSecond();
  /** Each batch's own partition (when batches have their own), by batch number. */
  const batchPartitions = new Map<number, PerSecond>();
  /** A write to batch `n`'s item: its own partition, or the campaign's. */
  const batchWrite = (n: number, at: number, units: number) => {
    if (!input.batchPartitions) return campaignPartition.add(at, units);
    let p = batchPartitions.get(n);
    if (!p) batchPartitions.set(n, (p = new PerSecond()));
    p.add(at, units);
  };
  let frozen = 0;
  const batchWu = writeUnits(input.batchItemBytes, true);
  const batchGsiWu = writeUnits(input.batchItemBytes);
  const headerWu = writeUnits(input.campaignHeaderBytes);
  const counterWu = input.counterShards > 1 ? writeUnits(200, true) : writeUnits(input.campaignHeaderBytes, true);

  // The send queue.
  const visible: number[] = [];
  let inFlight = 0;
  let enqueued = 0;
  let idleWorkers = input.senderConcurrency;
  let senderInvocations = 0;
  let senderLambdaSeconds = 0;
  let firstSend = Infinity;
  let lastSend = 0;
  let tat = 0;
  let sent = 0;
  let batchSeq = 0;

  // The planner: one invocation, its steps one after another.
  let t = ms(L.plannerColdStart);
  // Open, lease, already planned (Get, Update, Query of an empty campaign).
  t += ms(3 * L.dynamoItem);
  // Fan-out: each partition's pages one after another, the partitions in parallel.
  const membersPerPartition = (input.recipients * 2.2) / input.fanoutPartitions;
  const pages = Math.ceil((membersPerPartition * input.membershipItemBytes) / (1024 * 1024));
  const fanoutStart = t;
  for (let p = 0; p < pages; p++) fanout.add(fanoutStart + ms(p * L.dynamoQueryPage), readUnits(1024 * 1024, false));
  t += ms(pages * L.dynamoQueryPage);
  let next = 0;
  const perVariant = Math.ceil(batches / input.variants);
  let pending = 0;
  const flush = () => {
    const n = pending;
    pending = 0;
    const transactions = Math.ceil(n / 100);
    if (input.batchPartitions) {
      // The header's lastBatch, raised before the batches are written.
      header.add(t, headerWu);
      campaignPartition.add(t, headerWu);
      t += ms(L.dynamoItem);
    }
    const freezeAt = t;
    for (let b = 0; b < n; b++) batchWrite(frozen + b, freezeAt, batchWu);
    frozen += n;
    const shareOf = (i: number) => Math.floor((n + input.outboxShards - 1 - i) / input.outboxShards);
    outboxIndex.forEach((s, i) => s.add(freezeAt, shareOf(i) * batchGsiWu));
    t += ms(transactions * L.dynamoTransaction100);
    // addPlanned: one update of the header.
    header.add(t, headerWu);
    campaignPartition.add(t, headerWu);
    t += ms(L.dynamoItem);
    // Pointers, ten to a SendMessageBatch, a few in flight.
    t += ms(Math.ceil(n / 10 / 8) * L.sqsBatch);
    const at = t;
    agenda.at(at, () => {
      for (let i = 0; i < n; i++) visible.push(at);
      enqueued += n;
      poll();
    });
  };
  for (let v = 0; v < input.variants && next < batches; v++) {
    t += ms(input.compileMsPerVariant);
    campaignPartition.add(t, writeUnits(input.variantItemBytes));
    t += ms(L.dynamoItem);
    const here = Math.min(perVariant, batches - next);
    next += here;
    pending += here;
    if (pending >= input.freezeEvery) flush();
  }
  if (pending) flush();
  // The closing count and the lease's release.
  t += ms(2 * L.dynamoItem);
  const planningSeconds = t;

  // One sender invocation: up to senderBatchSize messages, the batches in parallel.
  function poll(): void {
    while (idleWorkers > 0 && visible.length > 0) {
      const take = visible.splice(0, input.senderBatchSize);
      idleWorkers -= 1;
      inFlight += take.length;
      senderInvocations += 1;
      const start = agenda.now + ms(L.lambdaDispatch);
      let ends = start;
      for (let i = 0; i < take.length; i++) {
        // Lease (UpdateItem on the batch, which moves its sweep-index entry), read campaign,
        // recipients, suppressions and the variant: a few round trips in a row.
        let bt = start;
        const batchNo = batchSeq;
        batchWrite(batchNo, bt, batchWu / 2);
        const shard = outboxIndex[batchSeq++ % input.outboxShards]!;
        shard.add(bt, 2 * batchGsiWu);
        bt += ms(L.dynamoItem + L.dynamoItem + 2 * L.dynamoPage + L.dynamoItem);
        // The pacer: a reservation (or two) on the one pacing item.
        const slot = reserveSlot(tat, bt, input.batchSize, input.sesRatePerSecond);
        tat = slot.tat;
        pacer.add(bt, input.pacerUpdatesPerBatch);
        bt = Math.max(bt + ms(L.dynamoItem * input.pacerUpdatesPerBatch), slot.startAt);
        bt += ms(L.sesBulk);
        const sentAt = bt;
        firstSend = Math.min(firstSend, sentAt);
        lastSend = Math.max(lastSend, sentAt);
        sent += input.batchSize;
        // History (BatchWriteItem to the recipients' own partitions), then the completion transaction.
        bt += ms(input.historyWritesPerBatch * L.dynamoBatchWrite);
        batchWrite(batchNo, bt, batchWu / 2);
        campaignPartition.add(bt, 2 * headerWu);
        header.add(bt, 2 * headerWu);
        shard.add(bt, batchGsiWu);
        bt += ms(L.dynamoTransactionSmall);
        if (input.feedbackCounters) {
          // Delivery events, one a recipient, spread over the second after the send.
          const arrive = sentAt + ms(L.deliveryEvent);
          for (let r = 0; r < input.batchSize; r++) {
            const at = arrive + r / input.sesRatePerSecond;
            if (input.counterShards > 1) counters[(sent + r) % input.counterShards]!.add(at, counterWu);
            else {
              header.add(at, counterWu);
              campaignPartition.add(at, counterWu);
            }
          }
        }
        ends = Math.max(ends, bt);
      }
      senderLambdaSeconds += ends - agenda.now;
      agenda.at(ends, () => {
        inFlight -= take.length;
        idleWorkers += 1;
        poll();
      });
    }
  }

  // Queue depth, sampled.
  const depthEverySeconds = 10;
  const queueDepth: number[] = [];
  const sample = () => {
    queueDepth.push(visible.length + inFlight);
    if (enqueued < batches || visible.length + inFlight > 0) agenda.at(agenda.now + depthEverySeconds, sample);
  };
  agenda.at(0, sample);
  agenda.run();

  const keys: KeyLoad[] = [
    { key: "pacer item (SEND_PACING)", what: "a reservation per batch", kind: "write", peakPerSecond: pacer.peak(), limit: PARTITION_LIMITS.writeUnits },
    { key: "campaign header (CAMPAIGN#key, META)", what: `planning counts, batch completions${input.feedbackCounters && input.counterShards <= 1 ? ", Delivery events" : ""}`, kind: "write", peakPerSecond: header.peak(), limit: PARTITION_LIMITS.writeUnits },
    input.batchPartitions
      ? { key: "campaign partition (CAMPAIGN#key: header, variants)", what: "planning counts and numbering, variants, batch completions' counts", kind: "write", peakPerSecond: campaignPartition.peak(), limit: PARTITION_LIMITS.writeUnits }
      : { key: "campaign partition (CAMPAIGN#key: header, variants, batches)", what: "freezing, leases, completions", kind: "write", peakPerSecond: campaignPartition.peak(), limit: PARTITION_LIMITS.writeUnits },
    ...(input.batchPartitions
      ? [{ key: "batch partitions (CAMPAIGN#key#BATCH#n), busiest", what: "a batch's freeze, lease and completion", kind: "write" as const, peakPerSecond: Math.max(0, ...[...batchPartitions.values()].map((p) => p.peak())), limit: PARTITION_LIMITS.writeUnits }]
      : []),
    {
      key: input.outboxShards > 1 ? `sweep index (GSI1 OUTBOX#0…${input.outboxShards - 1}), busiest shard` : "sweep index (GSI1 OUTBOX)",
      what: "a batch's index entry: frozen, leased, completed",
      kind: "write",
      peakPerSecond: Math.max(...outboxIndex.map((s) => s.peak())),
      limit: PARTITION_LIMITS.writeUnits,
    },
    ...(input.feedbackCounters && input.counterShards > 1
      ? [{ key: `campaign counter shards (${input.counterShards}), busiest`, what: "Delivery events", kind: "write" as const, peakPerSecond: Math.max(...counters.map((s) => s.peak())), limit: PARTITION_LIMITS.writeUnits }]
      : []),
    { key: "audience fan-out (GSI1 FANOUT#mission#topic#cadence), each", what: "the planner's Query pages", kind: "read", peakPerSecond: fanout.peak(), limit: PARTITION_LIMITS.readUnits },
  ];
  return {
    totalSeconds: lastSend,
    planningSeconds,
    plannerLambdaSeconds: planningSeconds,
    firstSendSeconds: firstSend === Infinity ? 0 : firstSend,
    lastSendSeconds: lastSend,
    senderInvocations,
    senderLambdaSeconds,
    queueDepth,
    depthEverySeconds,
    keys,
  };
}

/** The goals the simulation is held against. */
export function simulationGoals(input: SimInputs, r: SimResult) {
  const totalGoal = input.recipients / (0.95 * input.sesRatePerSecond) + 60;
  return {
    totalGoal,
    total: r.totalSeconds <= totalGoal,
    planning: r.plannerLambdaSeconds <= 120,
    keys: r.keys.every((k) => k.peakPerSecond <= k.limit / 2),
  };
}
