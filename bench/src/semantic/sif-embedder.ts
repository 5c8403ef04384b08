import { readFileSync } from 'node:fs';

/** The word vectors the bench embeds with, as `extract-word-vectors.ts` writes them. */
export interface WordVectorsFile {
  source: string;
  license: string;
  dimensions: number;
  /** Words in the full vocabulary (for the frequency estimate). */
  vocabularySize: number;
  /** Each word of the paraphrase set found in the vocabulary: its frequency rank (1 = most frequent) and vector. */
  words: Record<string, { rank: number; vector: number[] }>;
}

export const WORD_VECTORS_FILE = new URL('../../data/semantic-cache/word-vectors.json', import.meta.url);

/** The words of a text as GloVe's vocabulary holds them: lower case, letters or digits. */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+|[0-9]+/g) ?? [];
}

/**
 * A sentence embedding from pretrained word vectors: the smooth-inverse-frequency weighted mean of
 * Arora, Liang and Ma (2017), `a / (a + p(word))`, with `p` estimated from the word's frequency
 * rank by Zipf's law (the vocabulary is ordered by frequency). Words outside the vocabulary are
 * left out; a text with none gets the zero vector. The common-component removal of the paper needs
 * a corpus and is not done.
 */
export class SifEmbedder {
  readonly dimensions: number;
  readonly #words: WordVectorsFile['words'];
  readonly #harmonic: number;
  readonly #a: number;

  constructor(file: WordVectorsFile, options: { a?: number } = {}) {
    this.dimensions = file.dimensions;
    this.#words = file.words;
    this.#harmonic = Math.log(file.vocabularySize) + 0.5772;
    this.#a = options.a ?? 1e-3;
  }

  static load(): SifEmbedder {
    return new SifEmbedder(JSON.parse(readFileSync(WORD_VECTORS_FILE, 'utf8')) as WordVectorsFile);
  }

  /** The words the model has vectors for. */
  vocabulary(): WordVectorsFile['words'] {
    return this.#words;
  }

  /** Words of the text the model has no vector for. */
  unknown(text: string): string[] {
    return tokens(text).filter((word) => !Object.hasOwn(this.#words, word));
  }

  embed(text: string): number[] {
    const sum = new Array<number>(this.dimensions).fill(0);
    for (const word of tokens(text)) {
      const entry = Object.hasOwn(this.#words, word) ? this.#words[word] : undefined;
      if (!entry) continue;
      const probability = 1 / (entry.rank * this.#harmonic);
      const weight = this.#a / (this.#a + probability);
      for (let i = 0; i < this.dimensions; i++) sum[i] = (sum[i] ?? 0) + weight * (entry.vector[i] ?? 0);
    }
    return sum;
  }
}
