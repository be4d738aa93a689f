/**
 * Every tier, in the order alerts list them (most specific first within a severity). The ids are a
 * contract: JSON output and alerts carry them. Everything else about a tier is in its declaration,
 * in its family's module.
 */
import { CHECKER_TIERS, type SkippedDetail } from './checker';
import { CONTENT_TIERS, type AssertionDetail } from './content';
import { CRAWL_TIERS, type LeakDetail } from './crawl';
import { ORIGIN_FAMILY, type OriginDetail } from './origin';
import { RECOVERED, type RecoveredDetail } from './recovery';
import { ROBOTS_BLOCK_TIERS, type BlockedDetail } from './robots-block';
import {
  ROBOTS_COPY_TIERS,
  ROBOTS_MISSING,
  type BlocksSiteDetail,
  type ChangedDetail,
  type MissingDetail,
  type TruncatedDetail,
} from './robots-copy';
import { ROBOTS_UNREACHABLE_FAMILY, type UnreachableDetail } from './robots-unreachable';
import type { TierSpec } from './tier';

const [URL_DOWN, URL_DEINDEX_RISK, URL_DEINDEX_CRITICAL, URL_ERROR_LEAK] = CRAWL_TIERS;
const [ROBOTS_MISSING_, ROBOTS_BLOCKS_SITE, ROBOTS_CHANGED, ROBOTS_TRUNCATED] = ROBOTS_COPY_TIERS;

export const TIER_SPECS = [
  URL_DOWN,
  URL_DEINDEX_RISK,
  URL_DEINDEX_CRITICAL,
  ...CONTENT_TIERS,
  ...ROBOTS_BLOCK_TIERS,
  URL_ERROR_LEAK,
  ...ORIGIN_FAMILY,
  ...ROBOTS_UNREACHABLE_FAMILY,
  ROBOTS_MISSING_,
  ROBOTS_BLOCKS_SITE,
  ROBOTS_CHANGED,
  ROBOTS_TRUNCATED,
  ...CHECKER_TIERS,
  RECOVERED,
] as const;

export type Tier = (typeof TIER_SPECS)[number]['id'];

type NoDetail = Record<string, never>;

/** What each tier's events carry in `detail` (declared beside the tier, in its module). */
export interface TierDetails {
  'url-down': NoDetail;
  'url-deindex-risk': NoDetail;
  'url-deindex-critical': NoDetail;
  'url-assertion-failed': AssertionDetail;
  'url-blocked-by-robots': BlockedDetail;
  'url-error-leak': LeakDetail;
  'origin-crawl-slowdown': OriginDetail;
  'origin-outage': OriginDetail;
  'robots-unreachable': UnreachableDetail;
  'robots-cached-copy': UnreachableDetail;
  'robots-cliff-warning': UnreachableDetail;
  'robots-cliff': UnreachableDetail;
  'robots-missing': MissingDetail;
  'robots-blocks-site': BlocksSiteDetail;
  'robots-changed': ChangedDetail;
  'robots-truncated': TruncatedDetail;
  'checks-skipped': SkippedDetail;
  recovered: RecoveredDetail;
}

/** The tier ids in order. */
export const TIERS: readonly Tier[] = TIER_SPECS.map((spec) => spec.id);

const BY_ID = new Map<string, TierSpec<Tier>>(TIER_SPECS.map((spec) => [spec.id, spec]));

export function tierSpec(id: Tier): TierSpec<Tier> {
  const spec = BY_ID.get(id);
  if (!spec) throw new Error(`unknown tier ${id}`);
  return spec;
}

/** Tiers whose severity depends on the case (the event carries it). */
export const VARIABLE_SEVERITY: readonly Tier[] = [ROBOTS_MISSING.id];
