import type { Citation } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { SseParser } from '../sse/sse-parser.ts';
import { SourceIndexes, splitAtCitations } from './anthropic-citations.ts';
import { AnthropicStreamEncoder } from './anthropic-stream-encoder.ts';

const cite = (start: number, end: number, id: string): Citation => ({
  start,
  end,
  text: 'x',
  sources: [{ type: 'document', id }],
});

describe('Anthropic citations from another provider', () => {
  it('splits the text at the cited spans, keeping every character once and in order', () => {
    const text = 'one two three';
    const runs = splitAtCitations(text, [cite(8, 13, 'doc:1'), cite(4, 7, 'doc:0')]);
    expect(runs.map((run) => run.text)).toEqual(['one ', 'two', ' ', 'three']);
    expect(runs.map((run) => run.citations.map((citation) => citation.search_result_index))).toEqual([
      [],
      [0],
      [],
      [1],
    ]);
  });

  it('an overlapping span joins the block before; a span past the end cites the last block', () => {
    const runs = splitAtCitations('abcdef', [cite(0, 4, 'a'), cite(2, 3, 'b'), cite(40, 50, 'c')]);
    expect(runs.map((run) => run.text)).toEqual(['abcd', 'ef']);
    expect(runs[0]?.citations.map((citation) => citation.source)).toEqual(['a', 'b']);
    expect(runs[1]?.citations.map((citation) => citation.source)).toEqual(['c']);
  });

  it('numbers sources by the position in their id, else after the highest number given', () => {
    const indexes = new SourceIndexes();
    expect(indexes.indexOf({ type: 'document', id: 'doc:3' })).toBe(3);
    expect(indexes.indexOf({ type: 'url', url: 'https://a.example' })).toBe(4);
    expect(indexes.indexOf({ type: 'document', id: 'doc:3' })).toBe(3);
  });

  it("streams each citation once as a citations_delta: another provider's converted, an Anthropic upstream's as they came", () => {
    const encoder = new AnthropicStreamEncoder();
    const own = { type: 'char_location', cited_text: 'x', document_index: 0 };
    const sse = [
      encoder.encode({ type: 'start', id: 'm', model: 'm', provider: 'cohere' }),
      encoder.encode({ type: 'text-delta', index: 0, delta: 'abc' }),
      encoder.encode({ type: 'text-delta', index: 0, delta: '', citations: [cite(0, 3, 'doc:2')] }),
      encoder.encode({
        type: 'text-delta',
        index: 0,
        delta: '',
        providerMetadata: { anthropic: { citations: [own] } },
      }),
      encoder.encode({
        type: 'text-delta',
        index: 0,
        delta: 'd',
        providerMetadata: { anthropic: { citations: [own, own] } },
      }),
    ].join('');
    const deltas = new SseParser()
      .push(sse)
      .map(
        (frame) => JSON.parse(frame.data) as { type: string; delta?: { type: string; citation?: unknown } },
      )
      .filter((event) => event.delta?.type === 'citations_delta')
      .map((event) => event.delta?.citation);
    expect(deltas).toEqual([
      expect.objectContaining({ type: 'search_result_location', source: 'doc:2', search_result_index: 2 }),
      own,
      own,
    ]);
  });
});
