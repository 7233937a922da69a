/**
 * A small progress bar on stderr for long steps. On a terminal it redraws one line; otherwise (a log
 * file, CI) it prints a line at every tenth, so logs stay short.
 */
export interface Progress {
  /** Sets the amount done so far. */
  update(done: number, note?: string): void;
  /** Finishes the bar with a closing note. */
  done(note?: string): void;
}

const WIDTH = 28;

export function progress(label: string, total: number): Progress {
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  let lastDraw = 0;
  let lastTenth = -1;
  let current = 0;
  const line = (n: number, note?: string) => {
    const fraction = total > 0 ? Math.min(1, n / total) : 1;
    const filled = Math.round(fraction * WIDTH);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return `${label.padEnd(34)} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${n.toLocaleString("en")}/${total.toLocaleString("en")} ${seconds}s${note ? ` ${note}` : ""}`;
  };
  return {
    update(n, note) {
      current = n;
      const now = performance.now();
      if (tty) {
        if (now - lastDraw < 100 && n < total) return;
        lastDraw = now;
        process.stderr.write(`\r${line(n, note)}\x1b[K`);
      } else {
        const tenth = total > 0 ? Math.floor((n / total) * 10) : 10;
        if (tenth === lastTenth) return;
        lastTenth = tenth;
        process.stderr.write(`${line(n, note)}\n`);
      }
    },
    done(note) {
      if (tty) process.stderr.write(`\r${line(current, note)}\x1b[K\n`);
      else process.stderr.write(`${line(current, note)}\n`);
    },
  };
}

/** A status line for a step without a known size. */
export function step(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
