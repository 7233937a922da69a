import { readdirSync, readFileSync } from "node:fs";

/** CPU used on the machine while the bench ran, split into the bench's own processes and everything else. */
export interface MachineLoad {
  /** Whether the figures could be read (Linux /proc). */
  available: boolean;
  seconds: number;
  /** Core-seconds used by the bench's process tree (this process, scenarios, DynamoDB Local). */
  benchCoreSeconds: number;
  /** Core-seconds used by all other processes. */
  otherCoreSeconds: number;
  /** Other processes' share of the machine's capacity over the run. */
  otherShare: number;
  /** Seconds in which other processes used more than a quarter of one core. */
  busySecondsOther: number;
}

const TICKS = 100; // USER_HZ on Linux

function busyTicks(): number | undefined {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    return cpu.reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
  } catch {
    return undefined;
  }
}

/** utime + stime and the parent of every process. */
function processes(): Map<number, { ppid: number; ticks: number }> {
  const out = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      /* gone */
    }
  }
  return out;
}

/**
 * Samples the machine's CPU once a second, so the report can say whether anything else was running:
 * on a shared machine, other work competes with the bench for the same cores.
 */
export function monitorLoad(cores: number): { stop(): MachineLoad } {
  const first = busyTicks();
  if (first === undefined) return { stop: () => ({ available: false, seconds: 0, benchCoreSeconds: 0, otherCoreSeconds: 0, otherShare: 0, busySecondsOther: 0 }) };
  const started = performance.now();
  let lastBusy = first;
  const seen = new Map<number, number>();
  // Everything the bench already used before the first sample is not part of the run.
  for (const [pid, p] of processes()) seen.set(pid, p.ticks);
  let bench = 0;
  let other = 0;
  let busySecondsOther = 0;
  const sample = () => {
    const busy = busyTicks() ?? lastBusy;
    const all = processes();
    const ours = new Set<number>([process.pid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, p] of all) if (!ours.has(pid) && ours.has(p.ppid)) (ours.add(pid), (grew = true));
    }
    let benchTicks = 0;
    for (const pid of ours) {
      const now = all.get(pid)!.ticks;
      benchTicks += Math.max(0, now - (seen.get(pid) ?? 0));
    }
    for (const [pid, p] of all) seen.set(pid, p.ticks);
    const otherTicks = Math.max(0, busy - lastBusy - benchTicks);
    lastBusy = busy;
    bench += benchTicks / TICKS;
    other += otherTicks / TICKS;
    if (otherTicks / TICKS > 0.25) busySecondsOther += 1;
  };
  const timer = setInterval(sample, 1000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const seconds = (performance.now() - started) / 1000;
      return { available: true, seconds, benchCoreSeconds: bench, otherCoreSeconds: other, otherShare: other / (seconds * cores), busySecondsOther };
    },
  };
}
