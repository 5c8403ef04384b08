import { Bridge, responseText } from 'ai.matey.core';
import { createComplexityRouter, explainComplexity } from 'ai.matey.patterns';
import { FLEET_PROVIDERS, type FleetProvider } from './fleet-backends.ts';
import type { PatternContext, PatternOutcome } from './pattern-result.ts';
import { formatMs, mean } from './stats.ts';
import { formatTable } from './text-table.ts';

/** Eighteen queries from trivial to demanding, as the seed's test app ran. */
export const COMPLEXITY_QUERIES: readonly string[] = [
  'Hi!',
  'What is 2+2?',
  'Capital of France?',
  'Translate "good morning" into Spanish.',
  'Who wrote Hamlet?',
  'Give me a synonym for happy.',
  'Explain recursion in one sentence.',
  'Compare cats and dogs as pets for a small flat.',
  'What does HTTP stand for and why does it matter to web developers today?',
  'Evaluate 128 * 64 and tell me whether the result is a power of two.',
  'Analyze the trade-offs between SQL and NoSQL databases for a startup that expects rapid growth.',
  'Explain how TCP congestion control works, including slow start, congestion avoidance and fast recovery, with an example.',
  'Summarise the plot of Pride and Prejudice in a short paragraph for a student who has not read the novel yet and needs to discuss it in class tomorrow morning.',
  'Compare the CAP theorem guarantees of three distributed databases and evaluate which suits a global payments ledger with strict consistency needs across several regions and frequent network partitions.',
  'Synthesize a migration plan from a monolith to microservices for a team of twelve engineers, covering data ownership, API contracts, deployment order, rollback steps and how to measure success at each stage of the move, with the risks of each step and what to do when a stage slips.',
  'Analyze this cost model: if each request uses 1200 + 350 tokens at $0.15 per million input tokens and $0.60 per million output tokens, what does a month of three million requests cost, how does caching half of the prompts change the bill, and which of the two levers, shorter prompts or shorter answers, saves more money for a team running an LLM feature in production?',
  'Evaluate the GDPR and CCPA implications of storing LLM prompts that contain customer emails, compare three retention strategies, explain the risks of each one, and synthesize a policy that a small SaaS company could adopt within a quarter without a dedicated legal team, including what to tell customers, how to handle deletion requests, and how to audit that the policy is followed.',
  'Explain, step by step, how a Kubernetes cluster schedules a pod that asks for 2 * 4 GiB of memory on nodes that are already 80% full, evaluate what happens when the request cannot be met, compare the behaviour of the default scheduler with a custom one, and analyze which metrics an SRE team should alert on so that such failures are caught before users notice them in production.',
];

/** The seed's tiers: below 25 groq, below 50 deepseek, below 80 openai, else anthropic. */
const TIERS = [
  { maxScore: 25, provider: 'groq' },
  { maxScore: 50, provider: 'deepseek' },
  { maxScore: 80, provider: 'openai' },
  { provider: 'anthropic' },
] as const satisfies ReadonlyArray<{ maxScore?: number; provider: FleetProvider }>;

/**
 * The most the seed's analyzer can give, measured on a query that trips every factor: 30
 * (length) + 20 (keyword) + 15 (math) + 10 (acronym).
 */
export const ANALYZER_MAX_SCORE = explainComplexity(`${'word '.repeat(80)}analyze 12 + 7 in SQL`).score;

export interface ComplexityRoutingResult extends PatternOutcome {
  queries: number;
  answered: number;
  /** Queries per tier, every tier listed (0 when none went there). */
  distribution: Record<FleetProvider, number>;
  highestScore: number;
  /** Tiers no query can reach with the seed's analyzer. */
  unreachable: FleetProvider[];
  meanLatencyMs: Partial<Record<FleetProvider, number>>;
}

/**
 * Pattern 1: the seed's complexity router over the fleet. Every query is scored by the seed's
 * analyzer, routed to its tier and answered by that tier's simulated provider; the tier that
 * served it is read back from the reply (`metadata.complexity`, `routing.backend`).
 */
export async function runComplexityRouting(context: PatternContext): Promise<ComplexityRoutingResult> {
  const { backends } = context.clean;
  const router = createComplexityRouter({
    tiers: TIERS.map(({ provider, ...tier }) => ({ ...tier, backend: backends[provider] })),
  });
  const bridge = new Bridge({ backend: router });
  const rows = await Promise.all(
    COMPLEXITY_QUERIES.map(async (query) => {
      const started = performance.now();
      const decision = router.decide({ messages: [{ role: 'user', content: query }] });
      try {
        const reply = await bridge.execute({ messages: [{ role: 'user', content: query }] });
        const servedBy = reply.routing?.backend ?? decision.tier;
        return {
          query,
          decision,
          servedBy,
          ok: responseText(reply).length > 0,
          ms: performance.now() - started,
        };
      } catch {
        return { query, decision, servedBy: '-', ok: false, ms: performance.now() - started };
      }
    }),
  );

  const distribution = Object.fromEntries(FLEET_PROVIDERS.map((p) => [p, 0])) as Record<
    FleetProvider,
    number
  >;
  const latencies: Partial<Record<FleetProvider, number[]>> = {};
  for (const row of rows) {
    const tier = row.decision.tier as FleetProvider;
    if (tier in distribution) distribution[tier]++;
    if (row.ok) latencies[tier] = [...(latencies[tier] ?? []), row.ms];
  }
  const highestScore = Math.max(...rows.map((row) => row.decision.score));
  // A tier takes scores from the previous tier's bound up: past the analyzer's maximum, none.
  const unreachable: FleetProvider[] = [];
  let floor = 0;
  for (const tier of TIERS) {
    if (floor > ANALYZER_MAX_SCORE) unreachable.push(tier.provider);
    floor = 'maxScore' in tier ? tier.maxScore : Number.POSITIVE_INFINITY;
  }
  const answered = rows.filter((row) => row.ok).length;
  const meanLatencyMs = Object.fromEntries(
    Object.entries(latencies).map(([tier, values]) => [tier, mean(values)]),
  ) as Partial<Record<FleetProvider, number>>;

  const table = formatTable(
    ['score', 'tier', 'served by', 'query'],
    rows.map((row) => [
      row.decision.score.toFixed(1),
      row.decision.tier,
      row.ok ? row.servedBy : 'FAILED',
      row.query.length > 70 ? `${row.query.slice(0, 67)}…` : row.query,
    ]),
    { maxWidth: [5, 9, 9, 70], alignRight: [0] },
  );
  const spread = TIERS.map((tier) => `${tier.provider} ${distribution[tier.provider]}`).join(' · ');
  const best = rows.reduce((top, row) => (row.decision.score > top.decision.score ? row : top));
  const parts = explainComplexity(best.query)
    .parts.map((part) => `${part.factor} ${part.points}`)
    .join(' + ');
  return {
    queries: rows.length,
    answered,
    distribution,
    highestScore,
    unreachable,
    meanLatencyMs,
    details: [
      table,
      `Tiers: ${spread}. Mean latency per tier: ${TIERS.map((t) => `${t.provider} ${formatMs(meanLatencyMs[t.provider] ?? Number.NaN)}`).join(', ')}.`,
      `Highest score ${highestScore} (${parts}). The guide's analyzer tops out at ${ANALYZER_MAX_SCORE} ` +
        `(30 + 20 + 15 + 10), so ${unreachable.length ? `its ${unreachable.join(', ')} tier (score ≥ 80) is unreachable: no query can be routed there` : 'every tier is reachable'}.`,
    ],
    summary: {
      ran: `${rows.length} queries, the guide's analyzer and tiers, Router(custom) over the fleet`,
      measured:
        `${answered}/${rows.length} answered; ${spread}; max score ${highestScore}` +
        (unreachable.length
          ? `, ${unreachable.join(', ')} unreachable (cap ${ANALYZER_MAX_SCORE} < 80)`
          : ''),
      ok: answered === rows.length && distribution.anthropic === 0,
    },
  };
}
