/** A problem in monitors.yaml (or a file it names), located for the person who has to fix it. */
export interface ConfigProblem {
  file: string;
  /** 1-based; 0 when the problem is the whole file (it cannot be read). */
  line: number;
  column: number;
  /** Key path such as `sites[0].urls[2].expectStatus`; empty for the document itself. */
  path: string;
  message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : `${problem.file}:`;
  return problem.path ? `${where} ${problem.path}: ${problem.message}` : `${where} ${problem.message}`;
}

/** Bad configuration: a user error. Entry points print `message` and exit 2, never a stack trace. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export type KeyPath = readonly (string | number)[];

export function formatKeyPath(path: KeyPath): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    '',
  );
}
