import {
  budgetCounter,
  burst,
  chat,
  createKey,
  loggedSpend,
  revoke,
  untilRefused,
  waitForMinuteStart,
} from '../../../packages/cli/src/test-support/replica-calls.ts';
import {
  type ReplicaSet,
  startReplicaSet,
  sumCounters,
} from '../../../packages/cli/src/test-support/replica-set.ts';
import { type AutocannonResult, runAutocannon } from '../load/autocannon-run.ts';
import { openaiTarget } from '../load/request-bodies.ts';
import { round } from '../processes/child-server.ts';
import type { ScenarioContext } from './scenario-context.ts';
import { PLAIN_REPLY } from './topology.ts';

const ADMIN_KEY = 'matey-bench-admin-key-0123456789abcdef';

export interface ReplicasResult {
  replicas: number;
  rateLimit: {
    limitPerMinute: number;
    callsPerBurst: number;
    /** Calls admitted in each burst (a fresh key each), all within one minute window. */
    admitted: number[];
    /** The largest |admitted − limit| / limit over the bursts, in %. */
    maxErrorPercent: number;
    /** Refusals that were 429 with a `retry-after` and OpenAI's `rate_limit_exceeded` body. */
    wellFormedRefusals: number;
    refusals: number;
  };
  budget: {
    concurrentCalls: number;
    /** One call's reserved worst case (USD), read from the budget counter after one call. */
    estimateUsd: number;
    budgetUsd: number;
    admitted: number;
    /** The budget counter in Redis after the burst settled. */
    recordedUsd: number;
    /** What the spend log (PostgreSQL, `/admin/spend`) holds for the key. */
    loggedUsd: number;
    /** max(0, recorded − budget), in USD and in call estimates. */
    overrunUsd: number;
    overrunEstimates: number;
  };
  revoke: {
    /** Per revocation, the slowest of the other two replicas to refuse the key (ms). */
    samplesMs: number[];
    medianMs: number;
    maxMs: number;
  };
  /** autocannon on all three replicas at once, one key: without limits, and with limit and budget counted in Redis. */
  throughput: { unlimited: ThroughputRun; limited: ThroughputRun };
  /** Calls the limited key's rate-limit counters in Redis hold after its run, against the calls served: none lost. */
  countedRequests: { counted: number; served: number };
}

export interface ThroughputRun {
  requestsPerSecond: number;
  /** Calls answered 2xx in the run(s). */
  served: number;
  /** Rounds of `seconds` each (interleaved with the other key's). */
  rounds: number;
  perReplica: number[];
  latencyMs: { p50: number; p99: number };
  errors: number;
}

/**
 * Three `matey serve` processes (the real CLI) on the local Redis and a PostgreSQL database of
 * their own, the bench's mock upstream as provider: whether a key's per-minute limit, its budget
 * and its revocation hold across replicas, and what sharing the counters costs in throughput.
 */
export async function runReplicas(context: ScenarioContext): Promise<ReplicasResult> {
  const topology = await context.topology();
  await topology.setReply(PLAIN_REPLY);
  const set = await startReplicaSet({
    count: 3,
    upstreamUrl: topology.mock.url,
    adminKey: ADMIN_KEY,
    label: 'bench',
  });
  try {
    context.log(`replicas: ${set.urls.join(', ')}`);
    const rateLimit = await measureRateLimit(set, context.smoke ? 1 : 3);
    context.log(`rate limit: admitted ${rateLimit.admitted.join(', ')} of ${rateLimit.limitPerMinute}`);
    const { countedRequests, ...throughput } = await measureThroughput(
      set,
      context.smoke ? 2 : 5,
      context.smoke ? 1 : 2,
    );
    context.log(
      `throughput: ${throughput.unlimited.requestsPerSecond} req/s unlimited, ${throughput.limited.requestsPerSecond} req/s limited`,
    );
    const budget = await measureBudget(set, async (reply) => topology.setReply(reply));
    context.log(`budget: ${budget.admitted} admitted, overrun ${budget.overrunEstimates} estimates`);
    await topology.setReply(PLAIN_REPLY);
    const revocation = await measureRevoke(set, context.smoke ? 2 : 5);
    context.log(`revoke: median ${revocation.medianMs} ms, max ${revocation.maxMs} ms`);
    return { replicas: set.urls.length, rateLimit, budget, revoke: revocation, throughput, countedRequests };
  } finally {
    await set.stop();
  }
}

async function measureRateLimit(set: ReplicaSet, bursts: number): Promise<ReplicasResult['rateLimit']> {
  const limitPerMinute = 300;
  const callsPerBurst = 600;
  const keys = [];
  for (let index = 0; index < bursts; index++)
    keys.push(await createKey(set.urls[0] as string, ADMIN_KEY, { requestsPerMinute: limitPerMinute }));
  set.forget(keys.map((key) => key.id));
  await waitForMinuteStart(15_000);
  const admitted: number[] = [];
  let refusals = 0;
  let wellFormedRefusals = 0;
  for (const key of keys) {
    const results = await burst(set.urls, key.key, callsPerBurst, 60);
    admitted.push(results.filter((result) => result.status === 200).length);
    for (const result of results.filter((each) => each.status !== 200)) {
      refusals++;
      const code = (result.body as { error?: { code?: unknown } }).error?.code;
      if (result.status === 429 && Number(result.retryAfter) > 0 && code === 'rate_limit_exceeded')
        wellFormedRefusals++;
    }
  }
  const errors = admitted.map((count) => (Math.abs(count - limitPerMinute) / limitPerMinute) * 100);
  return {
    limitPerMinute,
    callsPerBurst,
    admitted,
    maxErrorPercent: round(Math.max(...errors), 2),
    wellFormedRefusals,
    refusals,
  };
}

async function measureBudget(
  set: ReplicaSet,
  setReply: (reply: {
    usage: { inputTokens: number; outputTokens: number };
    latencyMs: number;
  }) => Promise<void>,
): Promise<ReplicasResult['budget']> {
  // Each call reports the worst case it reserved: every admitted call costs its whole estimate.
  await setReply({ usage: { inputTokens: 64, outputTokens: 1_000 }, latencyMs: 300 });
  const [first, second] = set.urls as [string, string];
  const probe = await createKey(first, ADMIN_KEY, { budgetUsdPerDay: 100 });
  set.forget([probe.id]);
  await chat(second, probe.key, { maxTokens: 1_000 });
  const estimateUsd = await budgetCounter(probe.id, (usd) => usd > 0);
  const budgetUsd = 10.5 * estimateUsd;
  const key = await createKey(first, ADMIN_KEY, { budgetUsdPerDay: budgetUsd });
  set.forget([key.id]);
  const concurrentCalls = 60;
  const results = await burst(set.urls, key.key, concurrentCalls, concurrentCalls, { maxTokens: 1_000 });
  const admitted = results.filter((result) => result.status === 200).length;
  const recordedUsd = await budgetCounter(key.id, (usd) => usd >= admitted * estimateUsd * 0.999);
  const loggedUsd = await loggedSpend(first, ADMIN_KEY, key.id, admitted * estimateUsd * 0.999);
  const overrunUsd = Math.max(0, recordedUsd - budgetUsd);
  return {
    concurrentCalls,
    estimateUsd: round(estimateUsd, 8),
    budgetUsd: round(budgetUsd, 8),
    admitted,
    recordedUsd: round(recordedUsd, 8),
    loggedUsd: round(loggedUsd, 8),
    overrunUsd: round(overrunUsd, 8),
    overrunEstimates: round(overrunUsd / estimateUsd, 3),
  };
}

async function measureRevoke(set: ReplicaSet, count: number): Promise<ReplicasResult['revoke']> {
  const samplesMs: number[] = [];
  for (let index = 0; index < count; index++) {
    const key = await createKey(set.urls[0] as string, ADMIN_KEY, {});
    set.forget([key.id]);
    for (const url of set.urls) await chat(url, key.key);
    const revoker = index % set.urls.length;
    const others = set.urls.filter((_, at) => at !== revoker);
    const started = performance.now();
    await revoke(set.urls[revoker] as string, ADMIN_KEY, key.id);
    const times = await Promise.all(others.map((url) => untilRefused(url, key.key, started, 10_000)));
    samplesMs.push(round(Math.max(...times), 1));
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    samplesMs,
    medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    maxMs: sorted.at(-1) ?? 0,
  };
}

async function measureThroughput(
  set: ReplicaSet,
  seconds: number,
  rounds: number,
): Promise<ReplicasResult['throughput'] & Pick<ReplicasResult, 'countedRequests'>> {
  const unlimited = await createKey(set.urls[0] as string, ADMIN_KEY, {});
  const limits = { requestsPerMinute: 10_000_000, budgetUsdPerDay: 1_000 };
  const limited = await createKey(set.urls[0] as string, ADMIN_KEY, limits);
  // The warm-up's calls on a key of their own, so the measured key's counters hold only the rounds'.
  const warm = await createKey(set.urls[0] as string, ADMIN_KEY, limits);
  set.forget([unlimited.id, limited.id, warm.id]);
  const run = async (apiKey: string, durationSeconds: number): Promise<ThroughputRun> => {
    const results = await Promise.all(
      set.urls.map((url) => {
        const target = openaiTarget('replica', url);
        const headers = { ...target.headers, authorization: `Bearer ${apiKey}` };
        return runAutocannon({ ...target, headers }, { connections: 16, durationSeconds });
      }),
    );
    return summarize(results);
  };
  // Warm both paths (JIT, connections, caches), then ABBA rounds so a drift in the machine's load
  // weighs on both alike.
  await run(unlimited.key, 1);
  await run(warm.key, 1);
  const order = rounds === 1 ? ['unlimited', 'limited'] : ['unlimited', 'limited', 'limited', 'unlimited'];
  const runs: Record<string, ThroughputRun[]> = { unlimited: [], limited: [] };
  for (const name of order)
    runs[name]?.push(await run(name === 'limited' ? limited.key : unlimited.key, seconds));
  const counted = combine(runs.limited ?? []);
  return {
    unlimited: combine(runs.unlimited ?? []),
    limited: counted,
    countedRequests: {
      counted: await sumCounters(`rate-limit:${limited.id}:requests:*`),
      served: counted.served,
    },
  };
}

/** Rounds of one kind as one: mean req/s and p50, worst p99, calls and errors summed. */
function combine(runs: ThroughputRun[]): ThroughputRun {
  const mean = (values: number[]) =>
    Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
  return {
    requestsPerSecond: mean(runs.map((run) => run.requestsPerSecond)),
    served: runs.reduce((sum, run) => sum + run.served, 0),
    perReplica: (runs[0]?.perReplica ?? []).map((_, index) =>
      mean(runs.map((run) => run.perReplica[index] ?? 0)),
    ),
    latencyMs: {
      p50: mean(runs.map((run) => run.latencyMs.p50)),
      p99: Math.max(...runs.map((run) => run.latencyMs.p99)),
    },
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    rounds: runs.length,
  };
}

function summarize(results: AutocannonResult[]): ThroughputRun {
  return {
    requestsPerSecond: results.reduce((sum, result) => sum + result.requestsPerSecond, 0),
    served: results.reduce((sum, result) => sum + result.requests - result.non2xx, 0),
    perReplica: results.map((result) => result.requestsPerSecond),
    latencyMs: {
      p50: Math.max(...results.map((result) => result.latencyMs.p50)),
      p99: Math.max(...results.map((result) => result.latencyMs.p99)),
    },
    errors: results.reduce((sum, result) => sum + result.errors + result.non2xx, 0),
    rounds: 1,
  };
}
