/**
 * Edits of YAML source text at the ranges the `yaml` parser records for each node. Re-stringifying a
 * Document keeps comments but not their alignment, flow padding, line widths or blank-line layout;
 * splicing text in and out at node ranges leaves every byte that is not edited as it was.
 * Callers re-parse the result: these helpers place text, they do not prove it valid.
 */
import { isMap, isPair, isScalar, isSeq, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

/** Replace `[at, end)` of the source with `text` (an insertion when `at === end`). */
export interface Splice {
  at: number;
  end: number;
  text: string;
}

/** Applies splices that do not overlap; insertions at the same offset keep the order they were given in. */
export function applySplices(source: string, splices: readonly Splice[]): string {
  const ordered = splices.map((s, order) => ({ ...s, order })).sort((a, b) => a.at - b.at || a.order - b.order);
  let out = '';
  let cursor = 0;
  for (const s of ordered) {
    if (s.at < cursor) throw new Error(`overlapping YAML edits at offset ${s.at}`);
    out += source.slice(cursor, s.at) + s.text;
    cursor = s.end;
  }
  return out + source.slice(cursor);
}

const range = (node: Node | Pair | null | undefined): [number, number] => {
  const r = (node as { range?: [number, number, number] | null } | null | undefined)?.range;
  if (!r) throw new Error('YAML node without a source range');
  return [r[0], r[1]];
};

/**
 * Where a node's content ends. A block collection's range runs on over the comment lines after it,
 * which may belong to what follows (`# the end`); its last item's content does not.
 */
function contentEnd(node: Node | Pair): number {
  if (isPair(node)) return contentEnd((node.value as Node | null) ?? (node.key as Node));
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0)
    return contentEnd(node.items.at(-1) as Node | Pair);
  return range(node)[1];
}

export function columnOf(source: string, offset: number): number {
  return offset - (source.lastIndexOf('\n', offset - 1) + 1);
}

const lineStart = (source: string, offset: number) => source.lastIndexOf('\n', offset - 1) + 1;

/** The offset just after the line that holds the content ending at `offset` (its comment included). */
function lineEnd(source: string, offset: number): number {
  if (offset > 0 && source[offset - 1] === '\n') return offset;
  const newline = source.indexOf('\n', offset);
  return newline === -1 ? source.length : newline + 1;
}

const eolOf = (source: string) => (source.includes('\r\n') ? '\r\n' : '\n');
const spaces = (n: number) => ' '.repeat(n);

/** Whole lines inserted after a line end; a file without a final newline gets one before them instead. */
function insertLines(source: string, at: number, lines: string[]): Splice {
  const eol = eolOf(source);
  const text =
    at === source.length && source.length > 0 && !source.endsWith('\n')
      ? eol + lines.join(eol)
      : lines.map((line) => line + eol).join('');
  return { at, end: at, text };
}

/** Characters a plain scalar may hold anywhere in it, in block and in flow context. */
const PLAIN = /^[A-Za-z0-9/_.~%:@!$&'()*+;=?-]+$/;
/** First characters that make a plain scalar mean something else (an indicator). */
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

export type Quoting = Scalar['type'] | undefined;

/** `value` as YAML scalar source: plain when that reads back as the same string, else quoted like `like`. */
export function scalarText(value: string, quoting?: Quoting): string {
  if (quoting === Scalar.QUOTE_SINGLE) return `'${value.replaceAll("'", "''")}'`;
  const plainOk = PLAIN.test(value) && !INDICATOR_START.test(value) && !value.endsWith(':');
  // A JSON string is a YAML double-quoted scalar, escapes included.
  return quoting === Scalar.QUOTE_DOUBLE || !plainOk ? JSON.stringify(value) : value;
}

/** The quoting of a sequence's last scalar item, so appended entries look like their neighbours. */
export function quotingOf(seq: YAMLSeq | undefined): Quoting {
  const last = seq?.items.at(-1);
  return isScalar(last) && typeof last.value === 'string' ? last.type : undefined;
}

/** Appends string items to a sequence, in its own style: `, a, b` inside a flow one, `- a` lines in a block one. */
export function appendToSeq(source: string, seq: YAMLSeq, values: string[]): Splice {
  const quoting = quotingOf(seq);
  const last = seq.items.at(-1) as Node | undefined;
  const texts = values.map((v) => scalarText(v, quoting));
  // An empty sequence is always a flow one (`[]`): a block one needs an item to exist.
  if (!last) return { at: range(seq)[0] + 1, end: range(seq)[0] + 1, text: texts.join(', ') };
  if (seq.flow) {
    const at = range(last)[1];
    return { at, end: at, text: texts.map((t) => `, ${t}`).join('') };
  }
  const dash = columnOf(source, range(seq)[0]);
  return insertLines(
    source,
    lineEnd(source, contentEnd(last)),
    texts.map((t) => `${spaces(dash)}- ${t}`),
  );
}

/**
 * How far a block sequence under a key is indented past the key in this file (`urls:\n  - /` is 2,
 * `urls:\n- /` is 0), so new ones match; 2 when the file has none to copy.
 */
export function seqIndentOf(source: string, pairs: readonly Pair[]): number {
  for (const pair of pairs) {
    if (isSeq(pair.value) && !pair.value.flow && pair.value.items.length > 0) {
      return columnOf(source, range(pair.value)[0]) - columnOf(source, range(pair.key as Node)[0]);
    }
  }
  return 2;
}

/** The entries of a key as a block sequence under it, or a flow one inside a flow map. */
function listLines(key: string, values: string[], keyColumn: number, seqIndent: number): string[] {
  return [`${spaces(keyColumn)}${key}:`, ...values.map((v) => `${spaces(keyColumn + seqIndent)}- ${scalarText(v)}`)];
}

const flowList = (values: string[]) => `[${values.map((v) => scalarText(v)).join(', ')}]`;

/** Gives `key: [values]` to a map that has no such key: a new last key. */
export function addListKey(source: string, map: YAMLMap, key: string, values: string[], seqIndent: number): Splice {
  const lastPair = map.items.at(-1)!;
  if (map.flow) {
    const at = range((lastPair.value as Node | null) ?? (lastPair.key as Node))[1];
    return { at, end: at, text: `, ${key}: ${flowList(values)}` };
  }
  const lastEnd = contentEnd(lastPair);
  const column = columnOf(source, range(map)[0]);
  return insertLines(source, lineEnd(source, lastEnd), listLines(key, values, column, seqIndent));
}

/** A new site, `origin:` and `urls:`, appended to the `sites:` sequence in its style. */
export function appendSite(
  source: string,
  sites: YAMLSeq,
  origin: string,
  values: string[],
  seqIndent: number,
): Splice {
  const last = sites.items.at(-1) as Node;
  if (sites.flow) {
    const at = range(last)[1];
    return { at, end: at, text: `, { origin: ${scalarText(origin)}, urls: ${flowList(values)} }` };
  }
  const dash = columnOf(source, range(sites)[0]);
  // Keys sit where the first site's keys sit (`- origin:` puts them 2 past the dash).
  const keyColumn = Math.max(dash + 2, columnOf(source, range(sites.items[0] as Node)[0]));
  const lines = [
    `${spaces(dash)}-${spaces(keyColumn - dash - 1)}origin: ${scalarText(origin)}`,
    ...listLines('urls', values, keyColumn, seqIndent),
  ];
  return insertLines(source, lineEnd(source, contentEnd(last)), lines);
}

/**
 * Removes items from a sequence. Block items go with their whole lines (trailing comment included);
 * comment lines of their own stay. Flow items go with one neighbouring comma. A block sequence left
 * empty becomes `[]`, since a key with no value would read as null, not as an empty list.
 * Returns null when an item does not start its own `- ` line, the one shape this does not take apart.
 */
export function removeFromSeq(source: string, pair: Pair, seq: YAMLSeq, remove: ReadonlySet<number>): Splice[] | null {
  const items = seq.items as Node[];
  if (seq.flow) return removeFromFlowSeq(items, remove);
  const splices: Splice[] = [];
  for (const index of remove) {
    const [start, end] = range(items[index]);
    const from = lineStart(source, start);
    // `- ` and perhaps an anchor or tag (`- &home /`): its range starts after them.
    if (!/^[ \t]*-[ \t]+([&!]\S*[ \t]+)*$/.test(source.slice(from, start))) return null;
    splices.push({ at: from, end: lineEnd(source, end), text: '' });
  }
  if (remove.size === items.length) {
    const colon = source.indexOf(':', range(pair.key as Node)[1]);
    splices.push({ at: colon + 1, end: colon + 1, text: ' []' });
  }
  return splices;
}

function removeFromFlowSeq(items: Node[], remove: ReadonlySet<number>): Splice[] {
  const splices: Splice[] = [];
  for (let a = 0; a < items.length; a += 1) {
    if (!remove.has(a)) continue;
    let b = a;
    while (remove.has(b + 1)) b += 1;
    // A run of removed items takes the comma after it, or before it when it ends the list.
    if (b < items.length - 1) splices.push({ at: range(items[a])[0], end: range(items[b + 1])[0], text: '' });
    else if (a > 0) splices.push({ at: range(items[a - 1])[1], end: range(items[b])[1], text: '' });
    else splices.push({ at: range(items[a])[0], end: range(items[b])[1], text: '' });
    a = b;
  }
  return splices;
}
