import type { ChatResponse, Citation } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { SseParser } from '../sse/sse-parser.ts';
import { decodeOpenAIChatResponse, encodeOpenAIChatResponse } from './openai-chat-response.ts';
import { OpenAIChatStreamDecoder } from './openai-chat-stream-decoder.ts';
import { OpenAIChatStreamEncoder } from './openai-chat-stream-encoder.ts';

const web: Citation = {
  start: 0,
  end: 5,
  text: 'Paris',
  sources: [{ type: 'url', url: 'https://en.wikipedia.org/wiki/Paris', title: 'Paris' }],
};
const doc: Citation = { start: 10, end: 16, text: 'France', sources: [{ type: 'document', id: 'doc:1' }] };

/** A reply whose cited text part follows another text part of 7 characters. */
const response: ChatResponse = {
  id: 'r',
  model: 'm',
  provider: 'cohere',
  content: [
    { type: 'text', text: 'Answer:' },
    { type: 'text', text: 'Paris, in France.', citations: [web, doc] },
  ],
  finishReason: 'stop',
  usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
  warnings: [],
};

type Message = Record<string, unknown> & { content: string };

describe('OpenAI chat citations', () => {
  it('a URL source is a url_citation annotation; every citation is in matey_citations; offsets into the content', () => {
    const body = encodeOpenAIChatResponse(response) as { choices: Array<{ message: Message }> };
    const message = body.choices[0]?.message as Message;
    expect(message.content).toBe('Answer:Paris, in France.');
    expect(message.annotations).toEqual([
      {
        type: 'url_citation',
        url_citation: {
          start_index: 7,
          end_index: 12,
          url: 'https://en.wikipedia.org/wiki/Paris',
          title: 'Paris',
        },
      },
    ]);
    expect(message.matey_citations).toEqual([
      { start_index: 7, end_index: 12, text: 'Paris', sources: web.sources },
      { start_index: 17, end_index: 23, text: 'France', sources: [{ type: 'document', id: 'doc:1' }] },
    ]);
    expect(message.content.slice(17, 23)).toBe('France');
  });

  it('decodes url_citation annotations (the span read from the content), and matey_citations whole', () => {
    const annotated = {
      choices: [
        {
          message: {
            role: 'assistant',
            content: 'See Paris.',
            annotations: [
              {
                type: 'url_citation',
                url_citation: { start_index: 4, end_index: 9, url: 'https://p.example', title: 'P' },
              },
            ],
          },
          finish_reason: 'stop',
        },
      ],
    };
    const decoded = decodeOpenAIChatResponse(annotated, { provider: 'openai' });
    expect(decoded.content).toEqual([
      {
        type: 'text',
        text: 'See Paris.',
        citations: [
          {
            start: 4,
            end: 9,
            text: 'Paris',
            sources: [{ type: 'url', url: 'https://p.example', title: 'P' }],
          },
        ],
      },
    ]);
    const single = { type: 'text' as const, text: 'Paris, in France.', citations: [web, doc] };
    const ours = encodeOpenAIChatResponse({ ...response, content: [single] });
    const back = decodeOpenAIChatResponse(ours, { provider: 'gateway' });
    expect(back.content).toEqual([{ type: 'text', text: 'Paris, in France.', citations: [web, doc] }]);
  });

  it('streams the citations once, with the finish chunk, and decodes them back from it', () => {
    const encoder = new OpenAIChatStreamEncoder();
    const sse = [
      encoder.encode({ type: 'start', id: 'r', model: 'm', provider: 'cohere' }),
      encoder.encode({ type: 'text-delta', index: 0, delta: 'Answer:' }),
      encoder.encode({ type: 'text-delta', index: 1, delta: 'Paris, in France.' }),
      encoder.encode({ type: 'text-delta', index: 1, delta: '', citations: [web, doc] }),
      encoder.encode({ type: 'finish', finishReason: 'stop', usage: response.usage }),
      encoder.end(),
    ].join('');
    const frames = new SseParser().push(sse).filter((frame) => frame.data !== '[DONE]');
    const withCitations = frames.filter((frame) => frame.data.includes('matey_citations'));
    expect(withCitations).toHaveLength(1);
    expect(withCitations[0]?.data).toContain('"finish_reason":"stop"');
    expect(
      JSON.parse(withCitations[0]?.data ?? '{}').choices[0].delta.annotations[0].url_citation,
    ).toMatchObject({
      start_index: 7,
      end_index: 12,
    });
    const decoder = new OpenAIChatStreamDecoder({ provider: 'gateway' });
    const events = frames.flatMap((frame) => decoder.push(frame));
    const cited = events.find((event) => event.type === 'text-delta' && event.citations);
    expect(cited).toMatchObject({
      citations: [
        { ...web, start: 7, end: 12 },
        { ...doc, start: 17, end: 23 },
      ],
    });
  });
});
