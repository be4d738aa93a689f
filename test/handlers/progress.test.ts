import { progressReporter, PROGRESS_MIN_CHECKS } from '../../lambdas/handlers/cli/progress';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

test('on a terminal: one bar redrawn in place, throttled, cleared at the end', () => {
  const tty = stream(true);
  let clock = 0;
  const progress = progressReporter(tty, () => clock);
  for (let done = 1; done <= 100; done += 1) {
    clock += 10; // 10 ms per check: a redraw every 10 checks
    progress.onProgress(done, 100);
  }
  progress.finish();
  expect(tty.writes).toHaveLength(12); // at 1, 11, 21 … 91, the last, and the clear
  expect(tty.writes[0]).toBe(`\r[${'.'.repeat(30)}] 1/100 checks`);
  expect(tty.writes.at(-2)).toBe(`\r[${'#'.repeat(30)}] 100/100 checks`);
  expect(tty.writes.at(-1)).toBe('\r\x1b[2K');
});

test('not a terminal: a plain line each quarter', () => {
  const pipe = stream(false);
  const progress = progressReporter(pipe);
  for (let done = 1; done <= 200; done += 1) progress.onProgress(done, 200);
  progress.finish();
  expect(pipe.writes).toEqual(['checked 50/200\n', 'checked 100/200\n', 'checked 150/200\n', 'checked 200/200\n']);
});

test('a short pass shows nothing', () => {
  const tty = stream(true);
  const progress = progressReporter(tty);
  for (let done = 1; done < PROGRESS_MIN_CHECKS; done += 1) progress.onProgress(done, PROGRESS_MIN_CHECKS - 1);
  progress.finish();
  expect(tty.writes).toEqual([]);
});
