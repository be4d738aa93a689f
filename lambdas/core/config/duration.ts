/** Duration strings in monitors.yaml: an integer and a unit, e.g. `500ms`, `30s`, `5m`, `1h`, `2d`. */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const DURATION = /^(\d+)\s*(ms|s|m|h|d)$/;

/** Milliseconds for a duration string, or null when it is not one. */
export function parseDurationMs(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Compact human form for messages: `2h10m`, `29d10h`, `45s`, `850ms`. */
export function formatDurationMs(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  if (rest < 1_000) return `${sign}${rest}ms`;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
    ['s', UNIT_MS.s],
  ] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    // Minutes and seconds after a larger unit read as a clock: 13h05m.
    if (count > 0)
      parts.push(
        `${parts.length > 0 && (unit === 'm' || unit === 's') ? String(count).padStart(2, '0') : count}${unit}`,
      );
    // Two units are enough to read a clock at a glance ("29d10h", not "29d10h4m3s").
    if (parts.length === 2) break;
  }
  return sign + parts.join('');
}
