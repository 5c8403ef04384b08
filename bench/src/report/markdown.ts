const NUMERIC = /^(?:[+−-]?[\d.,]+(?:%|×| ms| µs)?|–)$/;

/** A Markdown table; columns of numbers are right-aligned. */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const align = headers.map((_, i) =>
    rows.length > 0 && rows.every((row) => typeof row[i] === 'number' || NUMERIC.test(String(row[i])))
      ? '---:'
      : '---',
  );
  const line = (cells: Array<string | number>) => `| ${cells.map((cell) => String(cell)).join(' | ')} |`;
  return [line(headers), line(align), ...rows.map(line)].join('\n');
}

/** A number with thousands separators. */
export function n(value: number | undefined, digits = 0): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** ms with a sensible number of decimals. */
export function ms(value: number | undefined): string {
  if (value === undefined) return '–';
  const abs = Math.abs(value);
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

/** A signed difference in ms. */
export function plusMs(value: number | undefined): string {
  if (value === undefined) return '–';
  return `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
}
