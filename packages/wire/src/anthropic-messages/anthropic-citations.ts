import type { Citation, CitationSource } from 'ai.matey.core';

/** Anthropic's `search_result_location` citation, as on a text block and in a `citations_delta`. */
export interface AnthropicSearchResultCitation {
  type: 'search_result_location';
  /** The source's URL, else the provider's id for it (Cohere's `doc:0`), else its title. */
  source: string;
  title: string | null;
  cited_text: string;
  search_result_index: number;
  start_block_index: number;
  end_block_index: number;
}

/**
 * Numbers a reply's sources for `search_result_index`: a provider id ending in its position
 * (Cohere's `doc:2`) keeps it, any other source the number after the highest given so far.
 */
export class SourceIndexes {
  readonly #known = new Map<string, number>();

  indexOf(source: CitationSource): number {
    const key = source.id ?? source.url ?? source.title ?? '';
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    const numbered = source.id === undefined ? undefined : /(?:^|\D)(\d+)$/.exec(source.id)?.[1];
    const index = numbered === undefined ? Math.max(-1, ...this.#known.values()) + 1 : Number(numbered);
    this.#known.set(key, index);
    return index;
  }
}

/**
 * Anthropic citations for a spec citation, one per source. Anthropic's citation types point
 * into documents the caller sent (`char_location` needs the span's offsets in that document,
 * which other providers do not give); `search_result_location` needs only the source and its
 * text, so it is the one used: `source` the URL or the provider's id, `cited_text` the span the
 * source supports, the whole source as its one block.
 */
export function citationsToAnthropic(
  citation: Citation,
  indexes: SourceIndexes,
): AnthropicSearchResultCitation[] {
  return citation.sources.map((source) => ({
    type: 'search_result_location',
    source: source.url ?? source.id ?? source.title ?? '',
    title: source.title ?? null,
    cited_text: citation.text,
    search_result_index: indexes.indexOf(source),
    start_block_index: 0,
    end_block_index: 1,
  }));
}

/** A run of a text part's text and the citations that rest on it, as one Anthropic text block. */
export interface CitedRun {
  text: string;
  citations: AnthropicSearchResultCitation[];
}

/**
 * A text part with citations as Anthropic writes one: the cited spans as blocks of their own,
 * carrying their citations, and the text between them as blocks without. A span inside the one
 * before joins its block; a span past the text cites the last block.
 */
export function splitAtCitations(text: string, citations: readonly Citation[]): CitedRun[] {
  const indexes = new SourceIndexes();
  const runs: CitedRun[] = [];
  const atEnd: AnthropicSearchResultCitation[] = [];
  let cursor = 0;
  const sorted = [...citations].sort((a, b) => a.start - b.start);
  for (const citation of sorted) {
    const start = Math.max(cursor, Math.min(citation.start, text.length));
    const end = Math.min(Math.max(citation.end, start), text.length);
    const cited = citationsToAnthropic(citation, indexes);
    const last = runs.at(-1);
    // Nothing of its own left to cover (inside the span before, or past the text): no block of its own.
    if (end <= start) {
      if (last && start < text.length) last.citations.push(...cited);
      else atEnd.push(...cited);
      continue;
    }
    if (start > cursor) runs.push({ text: text.slice(cursor, start), citations: [] });
    runs.push({ text: text.slice(start, end), citations: cited });
    cursor = end;
  }
  if (cursor < text.length || runs.length === 0) runs.push({ text: text.slice(cursor), citations: [] });
  runs.at(-1)?.citations.push(...atEnd);
  return runs;
}
