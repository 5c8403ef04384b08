import { digitsOf, isValidIban, isValidNino, isValidSsn, passesLuhn } from './validators.ts';

/** The built-in kinds of personal data. */
export type PiiCategory = 'email' | 'phone' | 'card' | 'ssn' | 'nino' | 'iban' | 'ipv4';

/** A pattern of your own, e.g. `{ name: 'employee-id', pattern: /EMP-\d{6}/ }`. */
export interface CustomPiiPattern {
  /** The category name, used in counts and (upper-cased) in the default replacement. */
  name: string;
  pattern: RegExp;
  /** Default `[NAME]` (upper-cased, `-` as `_`). */
  replacement?: string;
  /** Return false to leave a match alone (a checksum, a range rule). */
  validate?: (match: string) => boolean;
}

/** A span of text to replace. */
export interface PiiSpan {
  start: number;
  end: number;
}

/** Finds one kind of personal data in a text. */
export interface PiiDetector {
  readonly category: string;
  readonly replacement: string;
  find(text: string): PiiSpan[];
}

function fromPattern(
  category: string,
  replacement: string,
  pattern: RegExp,
  validate?: (match: RegExpExecArray) => boolean,
): PiiDetector {
  const global = pattern.flags.includes('g') ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  return {
    category,
    replacement,
    find(text) {
      const spans: PiiSpan[] = [];
      global.lastIndex = 0;
      for (let match = global.exec(text); match; match = global.exec(text)) {
        if (match[0].length === 0) {
          global.lastIndex++;
          continue;
        }
        if (!validate || validate(match))
          spans.push({ start: match.index, end: match.index + match[0].length });
      }
      return spans;
    },
  };
}

const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])/g;
const IBAN = /(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?!\w)/g;
const SSN = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-])/g;
const NINO = /(?<![\w])[A-Za-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Da-d](?!\w)/g;
/** `+` then a country code and 7–14 more digits in groups. */
const PHONE_INTERNATIONAL = /(?<![\w+])\+[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?!\w)/g;
/** NANP: optional +1, area code (bracketed or not), exchange, line. */
const PHONE_US = /(?<![\w+])(?:\+?1[ .-]?)?(?:\((\d{3})\)|(\d{3}))[ .-]?(\d{3})[ .-]?(\d{4})(?!\w)/g;
const IPV4 =
  /(?<![\w.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![\w.]*\d)/g;
/** Digit runs, single spaces or hyphens allowed between digits: candidates for card numbers. */
const DIGIT_RUN = /(?<![\w])\d(?:[ -]?\d){12,}(?!\w)/g;

/**
 * Payment cards: in each digit run, the longest stretch of whole digit groups that has 13–19
 * digits and passes the Luhn check (so "order 12 4111 1111 1111 1111" still finds the card).
 */
const cardDetector: PiiDetector = {
  category: 'card',
  replacement: '[CARD]',
  find(text) {
    const spans: PiiSpan[] = [];
    DIGIT_RUN.lastIndex = 0;
    for (let run = DIGIT_RUN.exec(text); run; run = DIGIT_RUN.exec(text)) {
      const groups = [...run[0].matchAll(/\d+/g)].map((group) => ({
        start: run.index + group.index,
        digits: group[0],
      }));
      let from = 0;
      while (from < groups.length) {
        const found = longestCardFrom(groups, from);
        if (!found) {
          from++;
          continue;
        }
        const last = groups[found.to - 1];
        const first = groups[from];
        if (first && last) spans.push({ start: first.start, end: last.start + last.digits.length });
        from = found.to;
      }
    }
    return spans;
  },
};

function longestCardFrom(groups: Array<{ digits: string }>, from: number): { to: number } | undefined {
  let best: { to: number } | undefined;
  let digits = '';
  for (let to = from + 1; to <= groups.length; to++) {
    digits += groups[to - 1]?.digits ?? '';
    if (digits.length > 19) break;
    if (digits.length >= 13 && passesLuhn(digits)) best = { to };
  }
  return best;
}

function phoneDigitsOk(match: RegExpExecArray): boolean {
  const count = digitsOf(match[0]).length;
  return count >= 8 && count <= 15;
}

function nanpOk(match: RegExpExecArray): boolean {
  const area = match[1] ?? match[2] ?? '';
  const exchange = match[3] ?? '';
  return /^[2-9]/.test(area) && /^[2-9]/.test(exchange);
}

/** The built-in detectors, in the order they run (the more specific first). */
export const BUILT_IN_DETECTORS: Readonly<Record<PiiCategory, PiiDetector>> = {
  email: fromPattern('email', '[EMAIL]', EMAIL),
  iban: fromPattern('iban', '[IBAN]', IBAN, (match) => isValidIban(match[0].replace(/ /g, ''))),
  card: cardDetector,
  ssn: fromPattern('ssn', '[SSN]', SSN, (match) =>
    isValidSsn(match[1] ?? '', match[3] ?? '', match[4] ?? ''),
  ),
  nino: fromPattern('nino', '[NINO]', NINO, (match) => isValidNino(match[0].replace(/ /g, ''))),
  phone: combine('phone', '[PHONE]', [
    fromPattern('phone', '[PHONE]', PHONE_INTERNATIONAL, phoneDigitsOk),
    fromPattern('phone', '[PHONE]', PHONE_US, nanpOk),
  ]),
  ipv4: fromPattern('ipv4', '[IP_ADDRESS]', IPV4),
};

/** Categories on unless chosen otherwise (IPv4 is off: version numbers look like addresses). */
export const DEFAULT_CATEGORIES: readonly PiiCategory[] = ['email', 'iban', 'card', 'ssn', 'nino', 'phone'];

function combine(category: string, replacement: string, detectors: PiiDetector[]): PiiDetector {
  return {
    category,
    replacement,
    find(text) {
      const spans = detectors.flatMap((detector) => detector.find(text)).sort((a, b) => a.start - b.start);
      const merged: PiiSpan[] = [];
      for (const span of spans) {
        const last = merged.at(-1);
        if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
        else merged.push({ ...span });
      }
      return merged;
    },
  };
}

/** A detector for a pattern of your own. */
export function customDetector(custom: CustomPiiPattern): PiiDetector {
  const replacement = custom.replacement ?? `[${custom.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}]`;
  const validate = custom.validate;
  return fromPattern(
    custom.name,
    replacement,
    custom.pattern,
    validate ? (match) => validate(match[0]) : undefined,
  );
}
