export interface TableOptions {
  /** Widest a column may be (characters); longer cells wrap at spaces. Default 48. */
  maxWidth?: number | number[];
  /** Right-align these columns (numbers read better that way). */
  alignRight?: number[];
  /** Draw a rule between rows (for rows that wrap over several lines). */
  separateRows?: boolean;
}

/**
 * Renders rows as a box-drawn text table that reads at a glance in a terminal: cells wrap at
 * spaces within each column's width, and a row's wrapped lines stay together.
 *
 * @example
 * console.log(formatTable(['provider', 'p50'], [['groq', '61 ms']]));
 */
export function formatTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const limit = (column: number) =>
    Array.isArray(options.maxWidth) ? (options.maxWidth[column] ?? 48) : (options.maxWidth ?? 48);
  const widths = headers.map((header, column) => {
    const longest = Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length));
    return Math.min(longest, limit(column));
  });
  const right = new Set(options.alignRight ?? []);
  const rule = (left: string, middle: string, end: string) =>
    left + widths.map((width) => '─'.repeat(width + 2)).join(middle) + end;
  const render = (cells: string[]) => {
    const wrapped = widths.map((width, column) => wrap(cells[column] ?? '', width));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    const lines: string[] = [];
    for (let line = 0; line < height; line++) {
      const parts = widths.map((width, column) => {
        const text = wrapped[column]?.[line] ?? '';
        return right.has(column) ? text.padStart(width) : text.padEnd(width);
      });
      lines.push(`│ ${parts.join(' │ ')} │`);
    }
    return lines;
  };
  return [
    rule('┌', '┬', '┐'),
    ...render(headers),
    rule('├', '┼', '┤'),
    ...rows.flatMap((row, index) =>
      index > 0 && options.separateRows ? [rule('├', '┼', '┤'), ...render(row)] : render(row),
    ),
    rule('└', '┴', '┘'),
  ].join('\n');
}

/** Splits text into lines of at most `width` characters, at spaces where it can. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let piece = word;
      while (piece.length > width) {
        if (line) lines.push(line);
        lines.push(piece.slice(0, width));
        piece = piece.slice(width);
        line = '';
      }
      if (!line) line = piece;
      else if (line.length + 1 + piece.length <= width) line += ` ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
    lines.push(line);
  }
  return lines;
}
