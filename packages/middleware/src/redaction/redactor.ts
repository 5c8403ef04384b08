import { checkOptions, type OptionShape } from 'ai.matey.core';
import {
  BUILT_IN_DETECTORS,
  type CustomPiiPattern,
  customDetector,
  DEFAULT_CATEGORIES,
  type PiiCategory,
  type PiiDetector,
} from './detectors.ts';

/** How many matches of each category were replaced, e.g. `{ email: 2, phone: 1 }`. */
export type RedactionCounts = Record<string, number>;

export interface RedactorOptions {
  /** Built-in categories to look for (default: all but `ipv4`). */
  categories?: readonly PiiCategory[];
  /** Patterns of your own, run after the built-in ones. */
  customPatterns?: readonly CustomPiiPattern[];
  /** Replacement tokens by category, overriding `[EMAIL]`, `[PHONE]`, … */
  replacements?: Partial<Record<string, string>>;
}

export interface RedactionResult {
  text: string;
  counts: RedactionCounts;
}

/** Adds the counts of `more` into `into`. */
export function addCounts(into: RedactionCounts, more: RedactionCounts): RedactionCounts {
  for (const [category, count] of Object.entries(more)) into[category] = (into[category] ?? 0) + count;
  return into;
}

const redactorOptions: OptionShape<RedactorOptions> = {
  categories: true,
  customPatterns: true,
  replacements: true,
};

/**
 * Finds and replaces personal data in text: emails, phone numbers (international `+…` and US
 * formats), payment cards (Luhn-valid runs of 13–19 digits only), US SSNs (with the SSA's
 * invalid ranges excluded), UK National Insurance numbers, IBANs (mod-97 checked), optionally
 * IPv4 addresses, and patterns of your own.
 *
 * @example
 * const redactor = new Redactor({ categories: ['email', 'card'] });
 * redactor.redact('mail bob@example.com').text; // 'mail [EMAIL]'
 */
export class Redactor {
  readonly #detectors: PiiDetector[];
  readonly #replacements: Partial<Record<string, string>>;

  constructor(options: RedactorOptions = {}) {
    checkOptions('new Redactor', options, redactorOptions);
    const categories = new Set(options.categories ?? DEFAULT_CATEGORIES);
    // Keep the built-in order whatever order the caller lists categories in.
    this.#detectors = (Object.keys(BUILT_IN_DETECTORS) as PiiCategory[])
      .filter((category) => categories.has(category))
      .map((category) => BUILT_IN_DETECTORS[category]);
    for (const custom of options.customPatterns ?? []) this.#detectors.push(customDetector(custom));
    this.#replacements = options.replacements ?? {};
  }

  redact(text: string): RedactionResult {
    const counts: RedactionCounts = {};
    let out = text;
    for (const detector of this.#detectors) {
      const spans = detector.find(out);
      if (spans.length === 0) continue;
      const replacement = this.#replacements[detector.category] ?? detector.replacement;
      let rebuilt = '';
      let cursor = 0;
      for (const span of spans) {
        rebuilt += out.slice(cursor, span.start) + replacement;
        cursor = span.end;
      }
      out = rebuilt + out.slice(cursor);
      counts[detector.category] = (counts[detector.category] ?? 0) + spans.length;
    }
    return { text: out, counts };
  }

  /** True if the text holds any personal data this redactor looks for. */
  detects(text: string): boolean {
    return this.#detectors.some((detector) => detector.find(text).length > 0);
  }
}
