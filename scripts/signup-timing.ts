/**
 * Measures how long `POST /api/subscriptions` takes for a new address, an address with a pending
 * sign-up and an already active address, against the local stack (DynamoDB Local, the in-process
 * queues), and prints the median of each. The three should be alike: the answer (202) and the work
 * done before it are the same (validate, rate-limit, store the request, queue its id), and the
 * sign-up worker decides which of the three it is afterwards, so the time taken does not tell whether
 * someone is subscribed. Between requests the queues are let run dry, outside the timed window: in
 * AWS the worker and the sender run in their own functions, not in the one answering the next request.
 *
 *   npx tsx scripts/signup-timing.ts [rounds=60] [--overlap]
 *
 * `--overlap` leaves the queues running during the next request, as earlier versions of this script
 * did: the local stack then does the previous request's background work (the worker, the email) in
 * the same process while the next request is timed.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { BENCH_SECRETS, startBenchStack } from "../bench/lib/stack";
import { CURRENT_POLICY_VERSION } from "../packages/core/src/consent";
import { addressKey } from "../packages/core/src/platform/table-keys";
import { addressHmac } from "../packages/core/src/shared/email-address";
import { issueToken } from "../packages/core/src/shared/tokens";

const args = process.argv.slice(2);
const overlap = args.includes("--overlap");
const rounds = Number(args.find((a) => /^\d+$/.test(a)) ?? 60);
const body = (email: string) => ({ email, language: "en", missions: ["food-system"], topics: ["news"], cadence: "weekly", consent: { newsletter: true, policyVersion: CURRENT_POLICY_VERSION } });
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const stack = await startBenchStack({ env: { RATE_LIMIT_PER_ADDRESS: "1000", RATE_LIMIT_PER_IP: "100000" }, storage: "disk" });
try {
  const timed = async (email: string) => {
    const start = performance.now();
    const res = await stack.request("POST", "/api/subscriptions", body(email));
    const ms = performance.now() - start;
    if (res.status !== 202) throw new Error(`sign-up answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (!overlap) await stack.cloud.idle();
    return ms;
  };
  // Prepare one pending and one active address per round, and warm the stack up.
  const pending = Array.from({ length: rounds }, (_, i) => `pending-${i}-${Date.now()}@example.org`);
  const active = Array.from({ length: rounds }, (_, i) => `active-${i}-${Date.now()}@example.org`);
  for (const email of [...pending, ...active]) await timed(email);
  await stack.cloud.idle();
  for (const email of active) {
    const { Item } = await stack.doc.send(new GetCommand({ TableName: stack.cloud.tableName, Key: addressKey(addressHmac(email, BENCH_SECRETS.ADDRESS_PEPPER)) }));
    const token = issueToken(BENCH_SECRETS.TOKEN_KEYS.split(","), "confirm", Item!.subscriberId as string, Date.now());
    const res = await stack.request("POST", "/api/subscriptions/confirm", { token });
    if (res.status !== 200) throw new Error(`confirm answered ${res.status}`);
  }
  for (let i = 0; i < 10; i++) await timed(`warm-${i}-${Date.now()}@example.org`);

  const times = { new: [] as number[], pending: [] as number[], active: [] as number[] };
  // Interleave the three kinds, so drift in the machine's load falls on all of them alike.
  for (let i = 0; i < rounds; i++) {
    times.new.push(await timed(`new-${i}-${Date.now()}@example.org`));
    times.pending.push(await timed(pending[i]!));
    times.active.push(await timed(active[i]!));
  }
  console.log(`POST /api/subscriptions, ${rounds} rounds each, local stack (DynamoDB Local on disk)${overlap ? ", queues overlapping the next request" : ", queues drained between requests"}:`);
  for (const [kind, xs] of Object.entries(times)) console.log(`  ${kind.padEnd(8)} median ${median(xs).toFixed(1)} ms`);
} finally {
  await stack.stop();
}
