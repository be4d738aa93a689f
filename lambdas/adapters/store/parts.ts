/**
 * Values that can outgrow one DynamoDB item (400 KB, names and keys included): an origin's state with
 * 50,000 URLs, a pass of 500 failing checks, a long target list. They are written as records (one JSON
 * line each: a URL's state, an event, a target), gzipped in members of at most MEMBER_BYTES, members
 * packed into parts of at most PART_BYTES. No item can exceed the limit whatever the input, and no
 * string ever holds the whole value (V8 caps a string at ~512 MB; the worst state is about that size).
 * Test: test/adapters/store/limits.test.ts.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

/** DynamoDB's item size limit ("Service, account, and table quotas": 400 KB). */
export const ITEM_LIMIT_BYTES = 400 * 1024;
/** The payload of one item: the limit less room for keys (an origin is at most ~2 KB) and names. */
export const PART_BYTES = 350_000;
/** Raw bytes per gzip member: even incompressible text (gzip adds ~0.1%) then fits a part. */
const MEMBER_BYTES = 340_000;

/** A part's position in its sort key, zero-padded so that parts sort in order. */
export const partIndex = (index: number) => String(index).padStart(4, '0');

/** A blob that is one value (a robots.txt's gzip, at most ~510 KB) cut into slices of at most PART_BYTES. */
export function slices(bytes: Uint8Array): Uint8Array[] {
  const cut: Uint8Array[] = [];
  for (let start = 0; start < bytes.byteLength; start += PART_BYTES)
    cut.push(bytes.subarray(start, start + PART_BYTES));
  return cut;
}

/** Records (each already one line of JSON, each far under MEMBER_BYTES by construction) → parts. */
export function packRecords(lines: Iterable<string>): Uint8Array[] {
  const members: Buffer[] = [];
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = () => {
    if (batch.length > 0) members.push(gzipSync(`${batch.join('\n')}\n`));
    batch = [];
    batchBytes = 0;
  };
  for (const line of lines) {
    const bytes = Buffer.byteLength(line) + 1;
    if (bytes > MEMBER_BYTES) throw new Error(`a record of ${bytes} bytes is larger than a stored part can hold`);
    if (batchBytes + bytes > MEMBER_BYTES) flush();
    batch.push(line);
    batchBytes += bytes;
  }
  flush();
  // Concatenated gzip members are one valid gzip stream (RFC 1952 section 2.2): a part is several members.
  const parts: Uint8Array[] = [];
  let part: Buffer[] = [];
  let partBytes = 0;
  for (const member of members) {
    if (partBytes + member.byteLength > PART_BYTES) {
      parts.push(Buffer.concat(part));
      part = [];
      partBytes = 0;
    }
    part.push(member);
    partBytes += member.byteLength;
  }
  if (part.length > 0) parts.push(Buffer.concat(part));
  return parts;
}

/** The records of parts, in order, each parsed; one part decoded at a time. */
export function* recordsOf(parts: readonly Uint8Array[]): Generator<unknown> {
  for (const part of parts) {
    for (const line of gunzipSync(part).toString('utf8').split('\n')) if (line) yield JSON.parse(line);
  }
}
