/** Properties of the rules engine over generated timelines (fast-check). */
import fc from 'fast-check';
import { step } from '../../../lambdas/core/rules/step';
import { HOUR, MINUTE, Simulation, siteOf, T0, type Answer, type PassSpec } from '../../support/simulation';

const SITE = `sites:\n  - origin: https://shop.example\n    urls: [/, /a, /b]\n`;
const PATHS = ['/', '/a', '/b'] as const;

const pageAnswer = fc.constantFrom<Answer>(
  200,
  200,
  200,
  500,
  502,
  503,
  429,
  404,
  'timeout',
  'connect',
  { status: 200, body: 'assertion' },
  { status: 500, leak: ['sql'] },
);
const robotsAnswer = fc.constantFrom<Answer>(200, 200, 404, 503, 'timeout');
const robotsText = fc.constantFrom(
  'User-agent: *\nDisallow: /admin/\n',
  'User-agent: *\nDisallow: /a\n',
  'User-agent: Googlebot\nDisallow: /\n',
);
/** Mostly the 5-minute interval; now and then the checker stops for a while (a gap). */
const stepMs = fc.oneof(
  { weight: 9, arbitrary: fc.constant(5 * MINUTE) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 72 }).map((h) => h * HOUR) },
);

const pass = fc.record({
  afterMs: stepMs,
  spec: fc.record({
    pages: fc.record({ '/': pageAnswer, '/a': pageAnswer, '/b': pageAnswer }),
    robots: robotsAnswer,
    robotsText,
  }),
});

const timelineArb = fc.array(pass, { minLength: 1, maxLength: 80 });
const HEALTHY: PassSpec = {
  pages: Object.fromEntries(PATHS.map((p) => [p, 200])),
  robots: 200,
  robotsText: 'User-agent: *\nDisallow: /admin/\n',
};

function play(passes: { afterMs: number; spec: PassSpec }[]): { sim: Simulation; endMs: number } {
  const sim = new Simulation(siteOf(SITE));
  let at = T0;
  for (const { afterMs, spec } of passes) sim.pass((at += afterMs), spec);
  return { sim, endMs: at };
}

test('never two events of the same tier in one incident', () => {
  fc.assert(
    fc.property(timelineArb, (passes) => {
      const { sim } = play(passes);
      const seen = new Set<string>();
      for (const event of sim.events) {
        const key = `${event.incidentId}/${event.tier}`;
        if (seen.has(key)) return false;
        seen.add(key);
      }
      return true;
    }),
    { numRuns: 150 },
  );
});

test('every incident that emitted an event is closed by exactly one recovered event once results stay healthy', () => {
  fc.assert(
    fc.property(timelineArb, (passes) => {
      const { sim, endMs } = play(passes);
      // Healthy from here on: successThreshold (2) passes close everything; one more must add nothing.
      for (let i = 1; i <= 3; i += 1) sim.pass(endMs + i * 5 * MINUTE, HEALTHY);
      const noisy = new Set(
        sim.events.filter((e) => e.tier !== 'recovered' && e.tier !== 'robots-changed').map((e) => e.incidentId),
      );
      const recovered = sim.events.filter((e) => e.tier === 'recovered').map((e) => e.incidentId);
      expect(recovered.sort()).toEqual([...noisy].sort());
    }),
    { numRuns: 150 },
  );
});

test('replaying a pass changes nothing', () => {
  fc.assert(
    fc.property(timelineArb, fc.nat(), (passes, pick) => {
      const cut = (pick % passes.length) + 1;
      const { sim } = play(passes.slice(0, cut));
      const before = JSON.stringify(sim.state);
      // The same pass again: same instant, same answers (a retried Lambda invocation).
      const replay = step({ ...sim.lastInput!, previous: sim.state });
      expect(replay).toMatchObject({ changed: false, events: [] });
      expect(replay.state).toBe(sim.state);
      expect(JSON.stringify(sim.state)).toBe(before);
    }),
    { numRuns: 150 },
  );
});

test('the engine never changes its inputs', () => {
  fc.assert(
    fc.property(timelineArb, (passes) => {
      const sim = new Simulation(siteOf(SITE));
      let at = T0;
      for (const { afterMs, spec } of passes) {
        const previous = sim.state;
        const frozen = JSON.stringify(previous);
        sim.pass((at += afterMs), spec);
        expect(JSON.stringify(previous)).toBe(frozen);
      }
    }),
    { numRuns: 60 },
  );
});
