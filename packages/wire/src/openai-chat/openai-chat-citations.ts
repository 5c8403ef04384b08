import type { Citation, CitationSource } from 'ai.matey.core';

/** OpenAI's annotation of a span of `message.content` that rests on a web page. */
export interface OpenAIUrlCitation {
  type: 'url_citation';
  url_citation: { start_index: number; end_index: number; url: string; title: string };
}

/**
 * A citation in `message.matey_citations`, ai.matey's extension to Chat Completions for the
 * citations OpenAI's `annotations` cannot hold (a document or a tool result has no URL):
 * `start_index`/`end_index` are offsets into `message.content` as `url_citation`'s are, `text`
 * the span, `sources` what it rests on (`type` `document`, `tool` or `url`, the provider's `id`,
 * `title`, `url`, and the source's own fields in `data`).
 */
export interface MateyCitation {
  start_index: number;
  end_index: number;
  text: string;
  sources: Array<{ type: CitationSource['type']; id?: string; title?: string; url?: string; data?: unknown }>;
}

/** A spec citation and where its text part starts in `message.content`. */
export interface PlacedCitation {
  offset: number;
  citation: Citation;
}

/**
 * The message fields for a reply's citations: `annotations` of type `url_citation` for each
 * source with a URL (what OpenAI clients read), and every citation whole in `matey_citations`
 * (the documented extension; sources without a URL are only there). Empty when there are none.
 */
export function citationFieldsToOpenAI(placed: readonly PlacedCitation[]): {
  annotations?: OpenAIUrlCitation[];
  matey_citations?: MateyCitation[];
} {
  if (placed.length === 0) return {};
  const annotations: OpenAIUrlCitation[] = [];
  const matey: MateyCitation[] = [];
  for (const { offset, citation } of placed) {
    const start_index = offset + citation.start;
    const end_index = offset + citation.end;
    for (const source of citation.sources) {
      if (source.url === undefined) continue;
      const title = source.title ?? source.url;
      annotations.push({
        type: 'url_citation',
        url_citation: { start_index, end_index, url: source.url, title },
      });
    }
    matey.push({
      start_index,
      end_index,
      text: citation.text,
      sources: citation.sources.map(sourceToOpenAI),
    });
  }
  return { ...(annotations.length > 0 ? { annotations } : {}), matey_citations: matey };
}

function sourceToOpenAI(source: CitationSource): MateyCitation['sources'][number] {
  return {
    type: source.type,
    ...(source.id !== undefined ? { id: source.id } : {}),
    ...(source.title !== undefined ? { title: source.title } : {}),
    ...(source.url !== undefined ? { url: source.url } : {}),
    ...(source.data !== undefined ? { data: source.data } : {}),
  };
}

/**
 * Spec citations from an OpenAI-style message or delta: `matey_citations` when present (they
 * are whole), else each `url_citation` annotation as a citation of a web page. Offsets are into
 * `text`, the message's content.
 */
export function citationsFromOpenAI(message: Record<string, unknown>, text: string): Citation[] {
  if (Array.isArray(message.matey_citations))
    return message.matey_citations.flatMap((raw) => mateyCitation(raw) ?? []);
  const annotations = Array.isArray(message.annotations) ? message.annotations : [];
  const citations: Citation[] = [];
  for (const annotation of annotations) {
    const record = asObject(annotation);
    const url = asObject(record.url_citation);
    if (record.type !== 'url_citation' || typeof url.url !== 'string') continue;
    const start = numberOr(url.start_index, 0);
    const end = numberOr(url.end_index, start);
    const title = typeof url.title === 'string' ? { title: url.title } : {};
    citations.push({
      start,
      end,
      text: text.slice(start, end),
      sources: [{ type: 'url', url: url.url, ...title }],
    });
  }
  return citations;
}

function mateyCitation(raw: unknown): Citation | undefined {
  const record = asObject(raw);
  if (typeof record.start_index !== 'number' || typeof record.end_index !== 'number') return undefined;
  const sources = Array.isArray(record.sources) ? record.sources.map(asObject) : [];
  return {
    start: record.start_index,
    end: record.end_index,
    text: typeof record.text === 'string' ? record.text : '',
    sources: sources.map((source) => ({
      type: source.type === 'tool' || source.type === 'url' ? source.type : 'document',
      ...(typeof source.id === 'string' ? { id: source.id } : {}),
      ...(typeof source.title === 'string' ? { title: source.title } : {}),
      ...(typeof source.url === 'string' ? { url: source.url } : {}),
      ...(typeof source.data === 'object' && source.data !== null
        ? { data: source.data as Record<string, unknown> }
        : {}),
    })),
  };
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
