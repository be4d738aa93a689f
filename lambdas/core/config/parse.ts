/**
 * monitors.yaml text → resolved config, or a ConfigError whose every problem names
 * file:line:column and the key at fault. Pure: file contents come in as arguments.
 */
import { Document, isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Node } from 'yaml';
import { z } from 'zod';
import { ConfigError, formatKeyPath, type ConfigProblem, type KeyPath } from './errors';
import { resolveConfig, type ReadRelative, type ResolveOptions, type ResolveProblem } from './resolve';
import { monitorsSchema } from './schema';
import { didYouMean } from './suggest';
import type { MonitorsConfig } from './types';

interface Source {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** The node at `path`, or the deepest ancestor that exists; `atKey` points at the key instead of its value. */
function locate(source: Source, path: KeyPath, atKey = false): { line: number; column: number } {
  let node: unknown = source.doc.contents;
  let found: Node | undefined = isMap(node) || isScalar(node) ? (node as Node) : (node as Node | undefined);
  for (const [index, key] of path.entries()) {
    if (!node || typeof node !== 'object' || !('items' in node)) break;
    const items = (node as { items: unknown[] }).items;
    const item =
      typeof key === 'number'
        ? items[key]
        : items.find((pair) => isPair(pair) && isScalar(pair.key) && pair.key.value === key);
    if (item === undefined) break;
    if (isPair(item)) {
      const last = index === path.length - 1;
      node = last && atKey ? item.key : (item.value ?? item.key);
    } else {
      node = item;
    }
    found = node as Node;
  }
  const offset = found?.range?.[0] ?? 0;
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
};

function describe(input: unknown): string {
  if (input === null) return 'nothing';
  if (Array.isArray(input)) return `a list of ${input.length}`;
  if (typeof input === 'object') return 'a mapping';
  return JSON.stringify(input);
}

/** The object schema at `path`, for the keys a did-you-mean may suggest. */
function knownKeysAt(path: KeyPath): string[] {
  let schema: unknown = monitorsSchema;
  const unwrap = (s: unknown): unknown => {
    for (;;) {
      if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault) s = s.unwrap();
      else if (s instanceof z.ZodPipe) s = s.out instanceof z.ZodTransform ? s.in : s.out;
      else return s;
    }
  };
  for (const key of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[key as string];
    else if (schema instanceof z.ZodArray) schema = schema.element;
    else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function issueProblems(source: Source, issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path as KeyPath;
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(path);
    return issue.keys.map((key) => ({
      file: source.file,
      ...locate(source, [...path, key], true),
      path: formatKeyPath([...path, key]),
      message: `unknown key "${key}"${didYouMean(key, known)}`,
    }));
  }
  let message = issue.message.startsWith('Invalid input: expected')
    ? `expected ${issue.code === 'invalid_type' ? (TYPE_NAMES[issue.expected] ?? issue.expected) : 'another value'}`
    : issue.message;
  if (issue.input === undefined) message = `missing: ${message}`;
  else if (issue.input !== undefined && !message.includes(', got ')) message += `, got ${describe(issue.input)}`;
  return [{ file: source.file, ...locate(source, path), path: formatKeyPath(path), message }];
}

function resolveProblem(source: Source, problem: ResolveProblem): ConfigProblem {
  if (problem.at === 'line') {
    const { file, line, column, message } = problem;
    return { file, line, column, path: formatKeyPath(problem.path), message };
  }
  return {
    file: source.file,
    ...locate(source, problem.path),
    path: formatKeyPath(problem.path),
    message: problem.message,
  };
}

/**
 * The document as plain data. Aliases can still fail here (one pointing to no anchor, or so many that
 * they would blow up: a "billion laughs" document), named at the alias.
 */
function toPlainData(source: Source): unknown {
  try {
    return source.doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    let offset = 0;
    visit(source.doc, {
      Alias: (_key, node) => {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const { line, col } = source.lines.linePos(offset);
    throw new ConfigError([
      { file: source.file, line, column: col, path: '', message: `YAML: ${(error as Error).message}` },
    ]);
  }
}

function parseYaml(file: string, text: string): Source {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source = { file, doc, lines };
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        return { file, line, column: col, path: '', message: `YAML: ${error.message.split('\n')[0]}` };
      }),
    );
  }
  return source;
}

/**
 * Parses and validates monitors.yaml. `readRelative` reads files it names (urlsFile), relative to it.
 * Throws ConfigError listing every problem found, in file order.
 */
export function parseMonitorsConfig(
  file: string,
  text: string,
  readRelative: ReadRelative,
  options: ResolveOptions = {},
): MonitorsConfig {
  const source = parseYaml(file, text);
  const checked = monitorsSchema.safeParse(toPlainData(source) ?? {}, { reportInput: true });
  if (!checked.success)
    throw new ConfigError(sortProblems(checked.error.issues.flatMap((i) => issueProblems(source, i))));
  const { config, problems } = resolveConfig(checked.data, readRelative, options);
  if (problems.length > 0) throw new ConfigError(sortProblems(problems.map((p) => resolveProblem(source, p))));
  return config;
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
