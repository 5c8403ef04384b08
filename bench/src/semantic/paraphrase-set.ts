import { readFileSync } from 'node:fs';

/** The kinds of near miss: another entity, another number, another intent. */
export type NearMissKind = 'entity' | 'number' | 'intent';

export interface ParaphraseSet {
  /** [stored, asked]: the asked prompt should be served the stored one's answer. */
  hit: Array<[string, string]>;
  /** [stored, asked, kind]: the asked prompt must not be served the stored one's answer. */
  miss: Array<[string, string, NearMissKind]>;
}

const FILE = new URL('../../data/semantic-cache/paraphrases.json', import.meta.url);

export function loadParaphrases(): ParaphraseSet {
  return JSON.parse(readFileSync(FILE, 'utf8')) as ParaphraseSet;
}
