/**
 * Checksums and structural rules that tell real identifiers from look-alike digit runs, so
 * order numbers and timestamps are not redacted as cards or SSNs.
 */

/** The Luhn (mod 10) check used by payment cards. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * A US Social Security number as the SSA issues them: area not 000, 666 or 900–999, group not
 * 00, serial not 0000; and not one of the numbers published in advertising (078-05-1120,
 * 219-09-9999), which belong to no one.
 */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  const areaNumber = Number(area);
  if (areaNumber === 0 || areaNumber === 666 || areaNumber >= 900) return false;
  if (group === '00' || serial === '0000') return false;
  const whole = `${area}${group}${serial}`;
  return whole !== '078051120' && whole !== '219099999';
}

const NINO_INVALID_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/**
 * A UK National Insurance number: two prefix letters (first not D, F, I, Q, U, V; second not
 * D, F, I, O, Q, U, V; not BG, GB, KN, NK, NT, TN, ZZ), six digits, suffix A–D.
 */
export function isValidNino(compact: string): boolean {
  const upper = compact.toUpperCase();
  if (!/^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$/.test(upper)) return false;
  return !NINO_INVALID_PREFIXES.has(upper.slice(0, 2));
}

/** An IBAN whose mod-97 check (ISO 13616) holds. */
export function isValidIban(compact: string): boolean {
  const iban = compact.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** Digits only, for checks that ignore separators. */
export function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}
