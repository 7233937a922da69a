import cliProgress from "cli-progress";

/** A progress bar on a terminal; nothing at all when the output is not one (a pipe, a log, a test). */
export interface Progress {
  /** Moves the bar to `value`, and to a new `total` if one is given. */
  update(value: number, total?: number): void;
  stop(): void;
}

/**
 * A cli-progress bar on stderr, so stdout stays for results (a run id, a CSV). `unit` names what is
 * counted ("rows", "emails"). Shared by the CLI's long operations.
 */
export function progressBar(label: string, total: number, unit: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`, stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 0), 0);
  return {
    update(value, newTotal) {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(value);
    },
    stop: () => bar.stop(),
  };
}
