/**
 * Values that can outgrow one DynamoDB item (400 KB, names and keys included): an origin's state with
 * 50,000 URLs, a pass of 500 failing checks, a long target list. They are kept in one item when they fit
 * and otherwise stored as gzipped JSON cut into parts of at most PART_BYTES each, so no item crawlguard
 * writes can exceed the limit, whatever the input (test/adapters/store/limits.test.ts).
 */
import { gunzipSync, gzipSync } from 'node:zlib';

/** DynamoDB's item size limit ("Service, account, and table quotas": 400 KB). */
export const ITEM_LIMIT_BYTES = 400 * 1024;
/** The payload of one item: the limit less room for keys (an origin is at most ~2 KB) and names. */
export const PART_BYTES = 350_000;

export const gzipJson = (value: unknown): Buffer => gzipSync(JSON.stringify(value));
export const gunzipJson = (bytes: Uint8Array): unknown => JSON.parse(gunzipSync(bytes).toString('utf8'));

/** `bytes` cut into slices of at most PART_BYTES. */
export function slices(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let start = 0; start < bytes.byteLength; start += PART_BYTES) parts.push(bytes.subarray(start, start + PART_BYTES));
  return parts;
}

/** A part's position in its sort key, zero-padded so that parts sort in order. */
export const partIndex = (index: number) => String(index).padStart(4, '0');
