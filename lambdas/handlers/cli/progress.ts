/**
 * Progress of a long pass on stderr (stdout stays for results and --json): a bar redrawn in place on a
 * terminal, a plain line every quarter otherwise. Short passes show nothing.
 */
export const PROGRESS_MIN_CHECKS = 50;
const REDRAW_MS = 100;
const WIDTH = 30;

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function progressReporter(
  stream: ProgressStream,
  now: () => number = Date.now,
): { onProgress(done: number, total: number): void; finish(): void } {
  let lastDraw = -Infinity;
  let lastQuarter = 0;
  let drawn = false;
  return {
    onProgress(done, total) {
      if (total < PROGRESS_MIN_CHECKS) return;
      if (stream.isTTY) {
        if (done < total && now() - lastDraw < REDRAW_MS) return;
        lastDraw = now();
        const filled = Math.round((done / total) * WIDTH);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} checks`);
        drawn = true;
        return;
      }
      const quarter = Math.floor((done / total) * 4);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        stream.write(`checked ${done}/${total}\n`);
      }
    },
    finish() {
      if (drawn) stream.write('\r\x1b[2K'); // clear the bar's line before the table
    },
  };
}
