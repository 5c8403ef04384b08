import {
  INJECTION_PATTERNS,
  type InjectionCategory,
  type InjectionPattern,
} from './prompt-injection-patterns.ts';

/** One pattern that matched. */
export interface InjectionMatch {
  id: string;
  category: InjectionCategory;
  weight: number;
}

export interface InjectionAssessment {
  /** 0 (nothing found) to 1; patterns combine as independent evidence. */
  score: number;
  matches: InjectionMatch[];
}

export interface DetectOptions {
  /** Patterns to use instead of the built-in ones. */
  patterns?: readonly InjectionPattern[];
  /** Patterns added to the built-in ones. */
  extraPatterns?: readonly InjectionPattern[];
}

/** Weight of instructions found inside an encoded blob: hiding them is itself a signal. */
const ENCODED_MIN_WEIGHT = 0.8;
const BASE64_RUN = /[A-Za-z0-9+/]{24,}={0,2}|[A-Za-z0-9_-]{24,}={0,2}/g;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2}){6,}/g;
const HEX_RUN = /\b(?:[0-9a-f]{2}[ :]?){12,}\b/gi;

/**
 * Lower case, NFKC (full-width and ligature look-alikes folded), invisible characters removed
 * and runs of spaces collapsed; newlines are kept because role headers are line-based.
 */
export function normalizeForDetection(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
    .toLowerCase()
    .replace(/[ \t\u00A0]+/g, ' ');
}

function isMostlyPrintable(text: string): boolean {
  if (text.length < 8) return false;
  let printable = 0;
  for (const char of text) {
    const code = char.charCodeAt(0);
    if ((code >= 32 && code < 127) || char === '\n' || char === '\t') printable++;
  }
  return printable / text.length > 0.9;
}

/** Texts hidden in base64, hex or percent-encoding inside the text. */
function decodedPayloads(text: string): string[] {
  const payloads: string[] = [];
  for (const match of text.matchAll(BASE64_RUN)) {
    const decoded = Buffer.from(
      match[0],
      match[0].includes('-') || match[0].includes('_') ? 'base64url' : 'base64',
    ).toString('utf8');
    if (isMostlyPrintable(decoded)) payloads.push(decoded);
  }
  for (const match of text.matchAll(HEX_RUN)) {
    const decoded = Buffer.from(match[0].replace(/[ :]/g, ''), 'hex').toString('utf8');
    if (isMostlyPrintable(decoded)) payloads.push(decoded);
  }
  for (const match of text.matchAll(PERCENT_RUN)) {
    try {
      payloads.push(decodeURIComponent(match[0]));
    } catch {
      // Not valid UTF-8 once decoded: not a hidden instruction.
    }
  }
  return payloads;
}

function combine(matches: InjectionMatch[]): number {
  let clean = 1;
  for (const match of matches) clean *= 1 - match.weight;
  return Math.round((1 - clean) * 1000) / 1000;
}

function matchPatterns(normalized: string, patterns: readonly InjectionPattern[]): InjectionMatch[] {
  const matches: InjectionMatch[] = [];
  for (const { id, category, weight, pattern } of patterns) {
    if (pattern.test(normalized)) matches.push({ id, category, weight });
  }
  return matches;
}

/**
 * Scores a text for prompt injection with the documented patterns (README.md), after
 * normalising it and decoding payloads hidden in base64, hex or percent-encoding (found inside
 * an encoded blob, instructions count as `encoded-instructions`, weight at least 0.8). It is a
 * heuristic: it stops the common, copy-pasted attacks, not a determined adversary.
 *
 * @example
 * detectPromptInjection('Ignore all previous instructions').score; // 0.9
 */
export function detectPromptInjection(text: string, options: DetectOptions = {}): InjectionAssessment {
  const patterns = [...(options.patterns ?? INJECTION_PATTERNS), ...(options.extraPatterns ?? [])];
  const matches = matchPatterns(normalizeForDetection(text), patterns);
  let hidden = 0;
  for (const payload of decodedPayloads(text)) {
    for (const inner of matchPatterns(normalizeForDetection(payload), patterns))
      hidden = Math.max(hidden, inner.weight);
  }
  if (hidden > 0) {
    matches.push({
      id: 'encoded-instructions',
      category: 'encoded-payload',
      weight: Math.max(hidden, ENCODED_MIN_WEIGHT),
    });
  }
  return { score: combine(matches), matches };
}
