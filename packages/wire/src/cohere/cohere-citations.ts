import type { Citation, CitationSource } from 'ai.matey.core';

/** A Cohere citation, as in `message.citations` and a stream's `citation-start`. */
export interface CohereCitation {
  start?: number;
  end?: number;
  text?: string;
  sources?: unknown[];
  /** `TEXT_CONTENT` (a span of `content[content_index]`) or `PLAN` (a span of `tool_plan`). */
  type?: string;
  content_index?: number;
}

/** A spec citation from Cohere's, its sources kept whole in `data`. */
export function citationFromCohere(raw: CohereCitation): Citation {
  return {
    start: typeof raw.start === 'number' ? raw.start : 0,
    end: typeof raw.end === 'number' ? raw.end : 0,
    text: typeof raw.text === 'string' ? raw.text : '',
    sources: (raw.sources ?? []).map(sourceFromCohere),
  };
}

function sourceFromCohere(raw: unknown): CitationSource {
  const source = (raw ?? {}) as { type?: unknown; id?: unknown; document?: unknown; tool_output?: unknown };
  const data = (source.document ?? source.tool_output) as Record<string, unknown> | undefined;
  const out: CitationSource = { type: source.type === 'tool' ? 'tool' : 'document' };
  if (typeof source.id === 'string') out.id = source.id;
  if (typeof data === 'object' && data !== null) {
    if (typeof data.title === 'string') out.title = data.title;
    if (typeof data.url === 'string') out.url = data.url;
    out.data = data;
  }
  return out;
}

/** Cohere's citation for a spec one; `contentIndex` says which content item it spans. */
export function citationToCohere(
  citation: Citation,
  where: { contentIndex: number; plan: boolean },
): Record<string, unknown> {
  return {
    start: citation.start,
    end: citation.end,
    text: citation.text,
    sources: citation.sources.map((source) => {
      const data = source.data ?? {
        ...(source.title !== undefined ? { title: source.title } : {}),
        ...(source.url !== undefined ? { url: source.url } : {}),
      };
      const type = source.type === 'tool' ? 'tool' : 'document';
      return {
        type,
        ...(source.id !== undefined ? { id: source.id } : {}),
        [type === 'tool' ? 'tool_output' : 'document']: data,
      };
    }),
    type: where.plan ? 'PLAN' : 'TEXT_CONTENT',
    ...(where.plan ? {} : { content_index: where.contentIndex }),
  };
}
