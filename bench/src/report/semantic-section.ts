import type { SemanticCacheResult, ThresholdRow } from '../scenarios/semantic-cache.ts';
import { ms, n, plusMs, table } from './markdown.ts';

const pct = (rate: number) => `${Math.round(rate * 100)}%`;

function rows(thresholds: ThresholdRow[]): string[][] {
  return thresholds.map((row) => [
    row.threshold.toFixed(2),
    pct(row.hitRate),
    pct(row.wrongAnswerRate),
    pct(row.falseHitRate),
    pct(row.falseHitByKind.entity),
    pct(row.falseHitByKind.number),
    pct(row.falseHitByKind.intent),
  ]);
}

const HEADERS = ['Threshold', 'Hit', 'Wrong answer', 'False hit', '… entity', '… number', '… intent'];

/** The semantic cache's hit and false-hit rates by threshold, the latency a miss pays, the index. */
export function semanticCacheSection(result: SemanticCacheResult): string {
  const { missLatency: latency, index } = result;
  return [
    `A gateway built from config (\`middleware.cache\` and \`middleware.semanticCache\`) in front of a mock upstream whose ` +
      `embedding model is **${result.embeddingModel}**. The set (bench/data/semantic-cache/paraphrases.json): ` +
      `${result.hitPairs} pairs that should hit and ${result.nearMissPairs} near misses that must not (another entity, ` +
      'number or intent, same topic). Every stored prompt is asked once, then the asked prompts (each stored too when it ' +
      'misses); **Hit** is an asked paraphrase served its own pair’s answer, **Wrong answer** one served another prompt’s, ' +
      '**False hit** a near miss served any stored answer.',
    '',
    'With the numbers guard (`matchNumbers: true`, the default: the numbers in a prompt are part of its context):',
    '',
    table(HEADERS, rows(result.thresholds)),
    '',
    'Without it (`matchNumbers: false`):',
    '',
    table(HEADERS, rows(result.withoutNumberGuard)),
    '',
    `What a call that misses both caches pays for the embedding call and the lookup (${n(latency.requests)} sequential ` +
      'calls to each of two gateways in one process, alternately; the mock answers at once):',
    '',
    table(
      ['', 'p50', 'p99'],
      [
        ['exact cache only', ms(latency.withoutP50), ms(latency.withoutP99)],
        ['exact + semantic cache', ms(latency.withP50), ms(latency.withP99)],
        ['added', plusMs(latency.withP50 - latency.withoutP50), plusMs(latency.withP99 - latency.withoutP99)],
      ],
    ),
    '',
    `The vector index (usearch HNSW, cosine) against a linear scan in JavaScript: ${n(index.entries)} random ` +
      `${index.dimensions}-d vectors, ${n(index.searches)} lookups: p50 ${index.usearchP50Us} µs (p99 ` +
      `${index.usearchP99Us} µs) against ${index.scanP50Us} µs for the scan; the index found the scan’s nearest in ` +
      `${pct(index.recallAt1)} of lookups.`,
  ].join('\n');
}
