import type { GoalCheck } from '../results.ts';
import type { ReplicasResult } from '../scenarios/replicas.ts';
import { ms, n, table } from './markdown.ts';

/** The three-replica scenario: limit, budget and revoke across processes, and throughput on one Redis. */
export function replicasSection(result: ReplicasResult): string {
  const { rateLimit, budget, revoke, throughput, countedRequests } = result;
  const usd = (value: number) => `$${value.toFixed(6)}`;
  return [
    `${result.replicas} \`matey serve --workers 1\` processes on one Redis and one PostgreSQL database, keys made through the admin API, the mock upstream as provider.`,
    '',
    table(
      ['Check', 'Measured'],
      [
        [
          `Per-minute limit ${rateLimit.limitPerMinute}, bursts of ${rateLimit.callsPerBurst} round-robin over the replicas`,
          `admitted ${rateLimit.admitted.join(', ')}; error ≤ ${rateLimit.maxErrorPercent}%; ${rateLimit.wellFormedRefusals} of ${rateLimit.refusals} refusals 429 + retry-after + \`rate_limit_exceeded\``,
        ],
        [
          `Budget ${usd(budget.budgetUsd)} (10.5 call estimates of ${usd(budget.estimateUsd)}), ${budget.concurrentCalls} concurrent calls`,
          `admitted ${budget.admitted}; counter ${usd(budget.recordedUsd)}, spend log ${usd(budget.loggedUsd)}; overrun ${usd(budget.overrunUsd)} = ${budget.overrunEstimates} estimates`,
        ],
        [
          `Revoke on one replica, refused on the other two (${revoke.samplesMs.length} keys)`,
          `median ${ms(revoke.medianMs)} ms, max ${ms(revoke.maxMs)} ms (${revoke.samplesMs.map((each) => ms(each)).join(', ')})`,
        ],
      ],
    ),
    '',
    `Throughput, autocannon with 16 connections on each replica at once, one key, ${throughput.limited.rounds} interleaved rounds each (mean; p99 the worst); the three replicas, Redis, the load generator and the mock share the machine:`,
    '',
    table(
      ['Key', 'req/s (sum)', 'per replica', 'p50 ms (worst replica)', 'p99 ms (worst replica)', 'errors'],
      (['unlimited', 'limited'] as const).map((name) => {
        const run = throughput[name];
        return [
          name === 'unlimited'
            ? 'no limits (nothing counted in Redis)'
            : 'rate limit + daily budget (counted in Redis)',
          n(run.requestsPerSecond),
          run.perReplica.map((each) => n(each)).join(' / '),
          run.latencyMs.p50,
          run.latencyMs.p99,
          run.errors,
        ];
      }),
    ),
    '',
    `The limited key's request counters in Redis after its run: ${n(countedRequests.counted)}, for ${n(countedRequests.served)} calls answered (up to 48 a round in flight when it stopped are counted, not answered): no increment lost under load.`,
  ].join('\n');
}

/** The three replica goals, checked. */
export function replicasGoals(result: ReplicasResult | undefined): GoalCheck[] {
  if (!result) {
    return [
      {
        area: 'Replicas',
        goal: 'limit within 1%, budget overrun ≤ 1 estimate, revoke ≤ 2 s across 3 replicas',
        measured: '–',
        status: 'not run',
      },
    ];
  }
  const { rateLimit, budget, revoke } = result;
  const met = (ok: boolean): GoalCheck['status'] => (ok ? 'met' : 'missed');
  return [
    {
      area: 'Replicas',
      goal: `a burst over 3 replicas admitted within 1% of the per-minute limit (${rateLimit.limitPerMinute})`,
      measured: `${rateLimit.admitted.join(', ')} admitted (error ≤ ${rateLimit.maxErrorPercent}%)`,
      status: met(rateLimit.maxErrorPercent <= 1),
    },
    {
      area: 'Replicas',
      goal: "a budget overrun by at most one in-flight call's estimate",
      measured: `${budget.overrunEstimates} estimates ($${budget.overrunUsd.toFixed(6)}), ${budget.admitted} of ${budget.concurrentCalls} admitted`,
      status: met(budget.overrunEstimates <= 1),
    },
    {
      area: 'Replicas',
      goal: 'a key revoked on one replica refused on the others within 2 s',
      measured: `median ${ms(revoke.medianMs)} ms, max ${ms(revoke.maxMs)} ms`,
      status: met(revoke.maxMs < 2_000),
    },
  ];
}
