/**
 * Every item crawlguard writes fits DynamoDB's 400 KB, at the largest inputs it accepts: 50,000 URLs of
 * 2,048 characters per site (config/resolve.ts), 20 agents, a 500 KiB robots.txt, 6 attempts per check,
 * 10 redirects. Random characters defeat gzip, so these are the worst cases, not the typical ones.
 * The builders are measured at the extremes; dynalite (which enforces the limit as DynamoDB does) takes
 * large values through the real API and gives them back unchanged.
 */
import { randomBytes } from 'node:crypto';
import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import { publishInput } from '../../../lambdas/adapters/notify/publish-input';
import { eventItem } from '../../../lambdas/adapters/store/event-log';
import { passItems, targetListItems } from '../../../lambdas/adapters/store/history-items';
import { itemBytes } from '../../../lambdas/adapters/store/item-size';
import { ITEM_LIMIT_BYTES } from '../../../lambdas/adapters/store/parts';
import { stateItems } from '../../../lambdas/adapters/store/state-items';
import { MAX_URL_CHARS, MAX_URLS_PER_SITE } from '../../../lambdas/core/config/resolve';
import { MAX_AGENTS } from '../../../lambdas/core/config/schema';
import { buildNotification, MAX_PUBLISH_BYTES } from '../../../lambdas/core/messages/notification';
import type { CheckResult } from '../../../lambdas/core/probe/types';
import { analyseRobots } from '../../../lambdas/core/robots/analyse';
import type { OutboxEntry } from '../../../lambdas/core/alerts/route';
import type { CrawlEvent } from '../../../lambdas/core/rules/event';
import { MAX_GAPS, type Incident } from '../../../lambdas/core/rules/incident';
import type { OriginState, UrlState } from '../../../lambdas/core/rules/state';
import { step } from '../../../lambdas/core/rules/step';
import { siteOf } from '../../support/simulation';
import { tempStore } from '../../support/store';

const ORIGIN = `https://${'h'.repeat(60)}.example`;
const AT = '2026-12-01T09:00:00.000Z';
/** Default settings: what the messages say of each tier follows them. */
const SITE_SETTINGS = siteOf(`sites:\n  - origin: ${ORIGIN}\n`);
/** A URL of exactly `length` characters that gzip cannot shrink much. */
const randomUrl = (i: number, length = MAX_URL_CHARS) => {
  const head = `${ORIGIN}/${i}/`;
  return (
    head +
    randomBytes(length)
      .toString('base64url')
      .slice(0, length - head.length)
  );
};

function worstResult(url: string): CheckResult {
  const hop = (n: number) => `${url}?hop=${n}`;
  const attempt = (n: number) => ({
    at: AT,
    status: 302,
    outcome: 'too_many_redirects' as const,
    latencyMs: 9_999,
    error: `redirect loop: ${Array.from({ length: 11 }, (_, k) => hop(k + n)).join(' → ')}`,
  });
  return {
    kind: 'page',
    origin: ORIGIN,
    url,
    checkedAt: AT,
    status: 302,
    outcome: 'too_many_redirects',
    latencyMs: 9_999,
    attempts: 6,
    redirects: 10,
    finalUrl: `${hop(10)}${'x'.repeat(14_000)}`,
    bytes: 0,
    truncated: false,
    requestId: 'r'.repeat(200),
    retryAfter: 60,
    leak: ['stack-trace', 'file-path', 'sql', 'version-banner'],
    error: attempt(0).error,
    attemptLog: Array.from({ length: 6 }, (_, n) => attempt(n)),
  };
}

const fits = (items: Record<string, unknown>[]) => Math.max(...items.map(itemBytes));

describe('the builders at the largest inputs', () => {
  test('a 500-check shard, every check failing with the longest detail, 2,048-character URLs', () => {
    const results = Array.from({ length: 500 }, (_, i) => worstResult(randomUrl(i)));
    const list = targetListItems(results);
    expect(fits(passItems('5m-1', AT, results, list.hash, 30 * 86_400_000))).toBeLessThanOrEqual(ITEM_LIMIT_BYTES);
    expect(fits(list.items)).toBeLessThanOrEqual(ITEM_LIMIT_BYTES);
  });

  test('a site of 50,000 URLs of 2,048 characters: its target list and a pass of it', () => {
    const results = Array.from({ length: MAX_URLS_PER_SITE + 1 }, (_, i): CheckResult => ({
      ...worstResult(randomUrl(i)),
      attemptLog: [],
      outcome: 'ok',
      error: null,
    }));
    const list = targetListItems(results);
    expect(list.items.length).toBeGreaterThan(100); // about 100 MB of URLs: hundreds of parts
    expect(fits(list.items)).toBeLessThanOrEqual(ITEM_LIMIT_BYTES);
    expect(fits(passItems('local', AT, results, list.hash, 30 * 86_400_000))).toBeLessThanOrEqual(ITEM_LIMIT_BYTES);
  });

  test('the state of a 50,000-URL origin, every URL in an incident with every gap, and 50,000 events pending', () => {
    const gaps = Array.from({ length: MAX_GAPS }, () => ({ from: AT, to: AT }));
    const incident = (id: string): Incident => ({
      id,
      startedAt: AT,
      lastCheckedAt: AT,
      failStreak: 100,
      okStreak: 0,
      healthySince: null,
      fired: ['url-down', 'url-deindex-risk', 'url-deindex-critical', 'url-error-leak'],
      gaps,
      lastEventAt: AT,
      reminders: 99,
    });
    const urls: Record<string, UrlState> = {};
    const outbox: OriginState['outbox'] = [];
    for (let i = 0; i < MAX_URLS_PER_SITE; i += 1) {
      const url = randomUrl(i);
      urls[url] = {
        latest: { outcome: 'server_error', status: 503, since: AT, streak: 100 },
        crawl: incident(`inc-${i}a`),
        content: incident(`inc-${i}b`),
        robotsBlock: incident(`inc-${i}c`),
      };
      outbox.push({
        channels: ['sms', 'email'],
        event: {
          id: `inc-${i}a:url-down`,
          tier: 'url-down',
          severity: 'warning',
          origin: ORIGIN,
          url,
          incidentId: `inc-${i}a`,
          incidentStart: AT,
          at: AT,
          elapsedMs: 0,
          status: 503,
          outcome: 'server_error',
          requestId: 'r'.repeat(200),
          searchEngines: 's'.repeat(120),
          source: 's'.repeat(120),
          nextTier: null,
          checkFirst: 'c'.repeat(200),
          gaps,
          notes: [],
          reminder: 0,
          detail: {},
        },
      });
    }
    const state: OriginState = {
      origin: ORIGIN,
      appliedAt: AT,
      urls,
      robots: null,
      crawl: null,
      outbox,
      notified: Object.fromEntries(outbox.map((e) => [e.event.incidentId, ['sms', 'email']])),
      delivery: null,
    };
    const { head, parts } = stateItems(state, 1, 'w');
    expect(parts.length).toBeGreaterThan(100);
    expect(fits([head, ...parts])).toBeLessThanOrEqual(ITEM_LIMIT_BYTES);
  });

  test('the largest events the rules raise: 20 agents, each with more 500-character rules than an event lists', () => {
    const agents = Array.from({ length: MAX_AGENTS }, (_, i) => `Bot${String.fromCharCode(97 + i)}`);
    const rule = (i: number) => `Disallow: /${randomBytes(400).toString('base64url').slice(0, 480)}/${i}`;
    // Each agent's rules past the tenth only add to a count: 11 each give the largest detail an event can carry.
    const file = (salt: number) =>
      agents
        .map((a, g) => `User-agent: ${a}\n${Array.from({ length: 11 }, (_, i) => rule(salt + g * 11 + i)).join('\n')}`)
        .join('\n');
    const site = siteOf(
      `sites:\n  - origin: ${ORIGIN}\n    agents: [${agents.join(', ')}]\n    urls: [${randomUrl(0).slice(ORIGIN.length)}]\n`,
    );
    const robots = (outcome: CheckResult['outcome'], status: number): CheckResult => ({
      ...worstResult(`${ORIGIN}/robots.txt`),
      kind: 'robots',
      outcome,
      status,
      robotsState: outcome === 'ok' ? 'available' : 'unreachable',
    });
    const page = { ...worstResult(site.urls[0]!.url), outcome: 'ok' as const, error: null };
    const first = analyseRobots({ result: robots('ok', 200), text: file(0), agents, urls: [page.url], lastGood: null });
    const changed = analyseRobots({
      result: robots('ok', 200),
      text: file(10_000),
      agents,
      urls: [page.url],
      lastGood: first.newCopy,
    });
    const down = analyseRobots({
      result: robots('server_error', 503),
      text: null,
      agents,
      urls: [page.url],
      lastGood: changed.newCopy,
    });
    let state = step({
      site,
      previous: null,
      passAt: AT,
      pages: [page],
      robots: { ...robots('ok', 200), robots: first.finding },
    }).state;
    const events: CrawlEvent[] = [];
    const at = (m: number) => new Date(Date.parse(AT) + m * 60_000).toISOString();
    for (const [m, robotsResult] of [
      [5, { ...robots('ok', 200), robots: changed.finding }],
      [10, { ...robots('server_error', 503), robots: down.finding }],
    ] as const) {
      const out = step({
        site,
        previous: state,
        passAt: at(m),
        pages: [{ ...page, checkedAt: at(m) }],
        robots: { ...robotsResult, checkedAt: at(m) },
      });
      state = out.state;
      events.push(...out.events);
    }
    expect(events.map((e) => e.tier)).toEqual(['robots-changed', 'robots-unreachable']);
    for (const event of events) {
      expect(itemBytes(eventItem(event))).toBeLessThanOrEqual(ITEM_LIMIT_BYTES);
      expect(JSON.parse(String(eventItem(event).event)).detail.omitted).toBeUndefined();
    }
    const unreachable = events[1]!.detail as {
      rulesInForce: Record<string, string[]>;
      rulesInForceCount: Record<string, number>;
      copyHash: string;
    };
    expect(unreachable.rulesInForce.Bota).toHaveLength(10);
    expect(unreachable.rulesInForceCount.Bota).toBe(11);
    expect(unreachable.copyHash).toBe(changed.newCopy!.hash);
  });

  test('an event that would still not fit is logged without its detail, and says so', () => {
    const event = {
      id: 'inc-x:url-down',
      tier: 'url-down',
      origin: ORIGIN,
      at: AT,
      gaps: [],
      notes: [],
      detail: { huge: 'x'.repeat(500_000) },
    } as unknown as CrawlEvent;
    const item = eventItem(event);
    expect(itemBytes(item)).toBeLessThanOrEqual(ITEM_LIMIT_BYTES);
    expect(JSON.parse(String(item.event)).detail).toEqual({
      omitted: expect.stringMatching(/^the detail was \d+ bytes, more than one DynamoDB item holds$/),
    });
  });

  /** Bytes SNS counts for a Publish: the message, the subject and the attributes' names, types and values. */
  const publishBytes = (notification: ReturnType<typeof buildNotification>) => {
    const input = new PublishCommand(
      publishInput(notification!, 'arn:aws:sns:us-east-1:123456789012:crawlguard-warning'),
    ).input;
    const attributes = Object.entries(input.MessageAttributes!).reduce(
      (n, [name, v]) =>
        n + Buffer.byteLength(name) + Buffer.byteLength(v.DataType!) + Buffer.byteLength(v.StringValue!),
      0,
    );
    return Buffer.byteLength(input.Message!) + Buffer.byteLength(input.Subject!) + attributes;
  };
  const urlDown = (i: number, url: string, note: string): OutboxEntry => ({
    channels: ['sms', 'email'],
    event: {
      id: `inc-${i}:url-down`,
      tier: 'url-down',
      severity: 'warning',
      origin: ORIGIN,
      url,
      incidentId: `inc-${i}`,
      incidentStart: AT,
      at: AT,
      elapsedMs: 0,
      status: 503,
      outcome: 'server_error',
      requestId: 'r'.repeat(200),
      searchEngines: '漢字'.repeat(50),
      source: 'ü'.repeat(100),
      nextTier: null,
      checkFirst: `漢${i}`.repeat(60),
      gaps: [],
      notes: [note],
      reminder: 0,
      detail: {},
    },
  });

  test('one SNS Publish for 50,000 events with 2,048-character URLs stays under 256 KiB', () => {
    const entries = Array.from({ length: MAX_URLS_PER_SITE }, (_, i) =>
      urlDown(i, randomUrl(i), `日本${i}`.repeat(60)),
    );
    expect(publishBytes(buildNotification({ site: SITE_SETTINGS, origin: ORIGIN, at: AT, entries }))).toBeLessThanOrEqual(MAX_PUBLISH_BYTES);
  });

  test('an email of non-ASCII text is cut by the bytes SNS counts, not by characters, and says so', () => {
    const entries = Array.from({ length: 200 }, (_, i) => urlDown(i, `${ORIGIN}/${i}`, `漢字${i}`.repeat(400)));
    const notification = buildNotification({ site: SITE_SETTINGS, origin: ORIGIN, at: AT, entries })!;
    expect(publishBytes(notification)).toBeLessThanOrEqual(MAX_PUBLISH_BYTES);
    expect(publishBytes(notification)).toBeGreaterThan(MAX_PUBLISH_BYTES * 0.8); // cut to fit, not to nothing
    expect(notification.email).toMatch(/\(cut to fit one SNS message: every event is in crawlguard's event log\)$/);
  });
});

describe('large values through dynalite, which refuses items over 400 KB as DynamoDB does', () => {
  let local: Awaited<ReturnType<typeof tempStore>>;
  beforeAll(async () => {
    local = await tempStore();
  });
  afterAll(() => local.cleanup());

  test('a worst-case 500-check pass and its target list are written and read back whole', async () => {
    const results = Array.from({ length: 500 }, (_, i) => worstResult(randomUrl(i)));
    await local.store.savePass('5m-1', AT, results);
    const back = await local.store.history('5m-1', Date.parse(AT), Date.parse(AT));
    expect(back.map((e) => [e.url, e.outcome, e.attempts])).toEqual(
      results.map((r) => [r.url, 'too_many_redirects', 6]),
    );
    expect(back[0]!.detail!.attemptLog).toHaveLength(6);
    expect(back[0]!.detail!.error!.length).toBeLessThanOrEqual(500);
  });

  /** The state parts stored for ORIGIN: [set, writeId] per part, in key order. */
  async function storedParts(): Promise<string[][]> {
    const parts: string[][] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await local.client.send(
        new QueryCommand({
          TableName: 'crawlguard',
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :parts)',
          ExclusiveStartKey: start,
          ExpressionAttributeValues: { ':pk': { S: `ORIGIN#${ORIGIN}` }, ':parts': { S: 'STATE#' } },
          ProjectionExpression: 'sk',
        }),
      );
      parts.push(
        ...out
          .Items!.map((i) => i.sk!.S!.split('#'))
          .filter((k) => k.length === 4)
          .map((k) => [k[1]!, k[2]!]),
      );
      start = out.LastEvaluatedKey;
    } while (start);
    return parts;
  }

  test('a state of 5,000 URLs of 2,048 characters: in parts, read back, replaced; only the current parts remain', async () => {
    const urls = Object.fromEntries(
      Array.from({ length: 5_000 }, (_, i): [string, UrlState] => [
        randomUrl(i),
        { latest: { outcome: 'ok', status: 200, since: AT, streak: 2 }, crawl: null, content: null, robotsBlock: null },
      ]),
    );
    const state: OriginState = {
      origin: ORIGIN,
      appliedAt: AT,
      urls,
      robots: null,
      crawl: null,
      outbox: [],
      notified: {},
      delivery: null,
    };
    const first = await local.store.saveState(state, null);
    expect(first.urls!.count).toBeGreaterThan(10);
    const loaded = (await local.store.loadStates([ORIGIN])).get(ORIGIN)!;
    expect(loaded).toEqual({ state, ...first });
    // A write that changes no URL (a delivery's lease) keeps the URL parts it found, and writes none.
    const leased = { ...loaded.state, delivery: { leaseId: 'l', until: AT } };
    const second = await local.store.saveState(leased, loaded);
    expect(second.urls).toEqual(first.urls);
    expect((await local.store.loadStates([ORIGIN])).get(ORIGIN)).toEqual({ state: leased, ...second });
    // One that changes a URL writes new URL parts and deletes the old ones; a stale writer loses and cleans up.
    const changed = { ...leased, urls: { ...leased.urls, [`${ORIGIN}/new`]: urls[Object.keys(urls)[0]!]! } };
    const third = await local.store.saveState(changed, { ...second, state: leased });
    await expect(local.store.saveState(changed, loaded)).rejects.toThrow('was changed by another pass');
    expect(third.urls!.writeId).toBe(third.writeId);
    expect(await storedParts()).toEqual(Array(third.urls!.count).fill(['URLS', third.writeId]));
    expect((await local.store.loadStates([ORIGIN])).get(ORIGIN)!.state).toEqual(changed);
  });

  test('a 500 KiB robots.txt of random rules is kept whole as the last good copy', async () => {
    const text =
      `User-agent: *\n${Array.from({ length: 7_000 }, () => `Disallow: /${randomBytes(48).toString('base64url')}`).join('\n')}`.slice(
        0,
        500 * 1024,
      );
    const copy = { text, hash: 'a'.repeat(64), fetchedAt: AT, truncated: false };
    await local.store.saveRobotsCopy(ORIGIN, copy);
    expect(await local.store.loadRobotsCopy(ORIGIN)).toEqual(copy);
    const smaller = { ...copy, text: 'User-agent: *\nDisallow: /x\n', hash: 'b'.repeat(64) };
    await local.store.saveRobotsCopy(ORIGIN, smaller);
    expect(await local.store.loadRobotsCopy(ORIGIN)).toEqual(smaller);
  });
});
