import { Presets, SingleBar } from 'cli-progress';

/** Progress of one long task, always on stderr so that stdout stays pure data. */
export interface Progress {
  /** Sets the absolute amount done (and the new total when it changed). */
  update(done: number, total?: number): void;
  /** Ends the display; a TTY bar is left at its final state. */
  stop(): void;
}

const PLAIN_INTERVAL_MS = 5_000;

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

let enabled = true;

/** `--no-progress` turns every display off, on a terminal too. */
export const setProgressEnabled = (value: boolean): void => {
  enabled = value;
};

/**
 * A bar on a terminal; in a pipe or a log file, a plain line at most every five seconds, since carriage
 * returns and redraws would fill a log with noise.
 *
 * @example
 *   const progress = startProgress('export', head, 'positions');
 *   progress.update(event.position);
 *   progress.stop();
 */
export const startProgress = (label: string, total: number, unit: string): Progress => {
  if (!enabled) return SILENT;
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`, stream: process.stderr, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(Math.max(total, 0), 0);
    return {
      update: (done, newTotal) => {
        if (newTotal !== undefined) bar.setTotal(newTotal);
        bar.update(done);
      },
      stop: () => bar.stop(),
    };
  }
  let last = Date.now();
  let currentTotal = total;
  return {
    update: (done, newTotal) => {
      if (newTotal !== undefined) currentTotal = newTotal;
      const now = Date.now();
      if (now - last < PLAIN_INTERVAL_MS) return;
      last = now;
      process.stderr.write(`${label}: ${done}/${currentTotal} ${unit}\n`);
    },
    stop: () => undefined,
  };
};
