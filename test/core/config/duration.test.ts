import { formatDurationMs, parseDurationMs } from '../../../lambdas/core/config/duration';

test.each<[string, number | null]>([
  ['500ms', 500],
  ['30s', 30_000],
  ['5m', 300_000],
  ['1h', 3_600_000],
  ['2d', 172_800_000],
  [' 10s ', 10_000],
  ['10', null],
  ['1.5s', null],
  ['-5s', null],
  ['5 minutes', null],
  ['', null],
])('parseDurationMs(%j) = %j', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

test.each<[number, string]>([
  [850, '850ms'],
  [45_000, '45s'],
  [7_800_000, '2h10m'],
  [(29 * 24 + 10) * 3_600_000 + 123_000, '29d10h'],
  [3_605_000, '1h05s'],
  [47_100_000, '13h05m'],
  [-60_000, '-1m'],
])('formatDurationMs(%i) = %s', (ms, text) => expect(formatDurationMs(ms)).toBe(text));
