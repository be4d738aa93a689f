import pc from 'picocolors';
import type { Io } from '../../lambdas/handlers/cli/io';

/** An Io that keeps what a command printed, without colours. */
export function captureIo(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (l) => void lines.push(...l.split('\n')),
    err: (l) => void errors.push(...l.split('\n')),
    colors: pc.createColors(false),
  };
}
