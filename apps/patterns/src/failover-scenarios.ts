import { Bridge, type ChatRequest, type ErrorKind, Router, toAiMateyError } from 'ai.matey.core';
import { createFailoverMiddleware, type FailoverAttempt, type FailoverMiddleware } from 'ai.matey.patterns';
import type { MockUpstreamReply } from 'ai.matey.testing';
import { FLEET_PROVIDERS, type FleetProvider } from './fleet-backends.ts';
import type { RunningFleet } from './pattern-result.ts';

/** The seed's chain. */
export const FAILOVER_CHAIN: FleetProvider[] = ['openai', 'anthropic', 'groq', 'deepseek'];

/** One scripted failure: faults queued on upstreams, one call, and what should come of it. */
interface ScenarioSpec {
  name: string;
  faults: Partial<Record<FleetProvider, MockUpstreamReply[]>>;
  mode?: 'execute' | 'stream';
  /** The provider that should answer, or the error kind the call should end with. */
  expect: { provider: FleetProvider } | { errorKind: ErrorKind };
  /** Providers that should have been called, in order. */
  attempts: number;
}

/** What one scenario did. */
export interface ScenarioOutcome {
  name: string;
  passed: boolean;
  /** `openai ✗ rate-limited → anthropic ✓`. */
  trail: string;
  expected: string;
}

const SCENARIOS: ScenarioSpec[] = [
  {
    name: '429 rate limit on the primary',
    faults: { openai: [{ error: 'rate-limited', retryAfter: 20 }] },
    expect: { provider: 'anthropic' },
    attempts: 2,
  },
  {
    name: '529 overloaded',
    faults: { openai: [{ error: 'overloaded' }] },
    expect: { provider: 'anthropic' },
    attempts: 2,
  },
  {
    name: '500 server error',
    faults: { openai: [{ error: 'upstream-server' }] },
    expect: { provider: 'anthropic' },
    attempts: 2,
  },
  {
    name: 'connection reset before any byte',
    faults: { openai: [{ reset: 'before-headers' }] },
    expect: { provider: 'anthropic' },
    attempts: 2,
  },
  {
    name: 'malformed JSON body',
    faults: { openai: [{ malformed: true }] },
    expect: { provider: 'anthropic' },
    attempts: 2,
  },
  {
    name: '401 rejected key (another key may work)',
    faults: { openai: [{ error: 'authentication' }] },
    expect: { provider: 'anthropic' },
    attempts: 2,
  },
  {
    name: 'hung upstream drops the connection',
    faults: { openai: [{ hangMs: 150 }] },
    expect: { provider: 'anthropic' },
    attempts: 2,
  },
  {
    name: 'two providers down',
    faults: { openai: [{ error: 'overloaded' }], anthropic: [{ error: 'overloaded' }] },
    expect: { provider: 'groq' },
    attempts: 3,
  },
  {
    name: 'three providers down',
    faults: {
      openai: [{ error: 'rate-limited' }],
      anthropic: [{ error: 'overloaded' }],
      groq: [{ error: 'upstream-server' }],
    },
    expect: { provider: 'deepseek' },
    attempts: 4,
  },
  {
    name: 'stream fails before its first event',
    mode: 'stream',
    faults: { openai: [{ error: 'rate-limited' }] },
    expect: { provider: 'anthropic' },
    attempts: 2,
  },
  {
    name: "request's own fault (400) is not failed over",
    faults: { openai: [{ error: 'invalid-request' }] },
    expect: { errorKind: 'invalid-request' },
    attempts: 1,
  },
  {
    name: 'every provider down',
    faults: Object.fromEntries(FLEET_PROVIDERS.map((p) => [p, [{ error: 'overloaded' }]])),
    expect: { errorKind: 'all-backends-failed' },
    attempts: 4,
  },
];

const REQUEST: ChatRequest = { messages: [{ role: 'user', content: 'Say hello.' }] };

/**
 * The seed's "10 failure scenarios", scripted: each queues faults on the upstreams of a fleet
 * that never fails on its own, makes one call through the failover middleware and checks who
 * answered (or how it failed) and how many providers were tried. A last scenario drives a
 * provider unhealthy, checks it is skipped, and that it is probed back after its cool-down.
 */
export async function runFailoverScenarios(clean: RunningFleet): Promise<ScenarioOutcome[]> {
  // No circuit breakers: the failover middleware's own health tracking is what is under test.
  const router = new Router({ defaultBackend: 'openai', circuitBreaker: false });
  for (const name of FAILOVER_CHAIN) router.register(name, clean.backends[name]);
  const outcomes: ScenarioOutcome[] = [];
  try {
    for (const spec of SCENARIOS) outcomes.push(await runScenario(clean, router, spec));
    outcomes.push(await runRecoveryScenario(clean, router));
  } finally {
    // A scenario that went wrong must not leave a queued fault for the next pattern.
    for (const provider of clean.fleet.providers) provider.upstream.reset();
  }
  return outcomes;
}

async function runScenario(
  clean: RunningFleet,
  router: Router,
  spec: ScenarioSpec,
): Promise<ScenarioOutcome> {
  for (const [name, replies] of Object.entries(spec.faults)) {
    clean.fleet.get(name)?.upstream.enqueue(...(replies ?? []));
  }
  const failover = createFailoverMiddleware({ chain: FAILOVER_CHAIN, capabilities: router });
  const bridge = new Bridge({ backend: router, maxAttempts: FAILOVER_CHAIN.length }).use(failover);
  let errorKind: ErrorKind | undefined;
  try {
    if (spec.mode === 'stream') await bridge.stream(REQUEST).collect();
    else await bridge.execute(REQUEST);
  } catch (error) {
    errorKind = toAiMateyError(error).kind;
  }
  const audit = failover.auditTrail();
  const served = audit.find((a) => a.outcome === 'success')?.provider;
  const called = audit.filter((a) => a.outcome !== 'skipped').length;
  const passed =
    called === spec.attempts &&
    ('provider' in spec.expect ? served === spec.expect.provider : errorKind === spec.expect.errorKind);
  const expected =
    'provider' in spec.expect ? `${spec.expect.provider} answers` : `fails with ${spec.expect.errorKind}`;
  return {
    name: spec.name + (spec.mode === 'stream' ? ' (stream)' : ''),
    passed,
    trail: trail(audit) + (errorKind ? ` ⇒ ${errorKind}` : ''),
    expected: `${expected}, ${spec.attempts} tried`,
  };
}

/**
 * Three failures in a row mark openai unhealthy; the next call skips it; once its cool-down is
 * over it is probed back. The middleware's clock is moved on rather than waited for, so the
 * outcome does not depend on how long anthropic takes to answer.
 */
async function runRecoveryScenario(clean: RunningFleet, router: Router): Promise<ScenarioOutcome> {
  const recoverAfterMs = 30_000;
  let clockOffsetMs = 0;
  const failover: FailoverMiddleware = createFailoverMiddleware({
    chain: FAILOVER_CHAIN,
    capabilities: router,
    unhealthyAfter: 3,
    recoverAfterMs,
    now: () => Date.now() + clockOffsetMs,
  });
  const bridge = new Bridge({ backend: router, maxAttempts: FAILOVER_CHAIN.length }).use(failover);
  clean.fleet
    .get('openai')
    ?.upstream.enqueue({ error: 'overloaded' }, { error: 'overloaded' }, { error: 'overloaded' });
  for (let i = 0; i < 3; i++) await bridge.execute(REQUEST);
  const markedUnhealthy = failover.healthStatus().openai?.status === 'unhealthy';
  const skipped = await bridge.execute(REQUEST);
  const skippedOk =
    skipped.routing?.backend === 'anthropic' && failover.auditTrail().at(-2)?.outcome === 'skipped';
  clockOffsetMs = recoverAfterMs;
  const probed = await bridge.execute(REQUEST);
  const recovered =
    probed.routing?.backend === 'openai' && failover.healthStatus().openai?.status === 'healthy';
  return {
    name: 'unhealthy after 3 failures, skipped, probed back',
    passed: markedUnhealthy && skippedOk && recovered,
    trail:
      `3× openai ✗ → anthropic ✓; openai ${markedUnhealthy ? 'unhealthy' : 'still healthy'}; ` +
      `next call ${skippedOk ? 'skips it' : 'did not skip it'}; ${recoverAfterMs / 1000} s later (clock moved on) ` +
      `${recovered ? 'openai ✓, healthy again' : 'openai not recovered'}`,
    expected: 'skip while unhealthy, recover after the cool-down',
  };
}

function trail(audit: FailoverAttempt[]): string {
  return audit
    .map((a) =>
      a.outcome === 'success'
        ? `${a.provider} ✓`
        : a.outcome === 'skipped'
          ? `${a.provider} (skipped)`
          : `${a.provider} ✗ ${a.errorKind ?? ''}`.trim(),
    )
    .join(' → ');
}
