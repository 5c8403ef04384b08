/**
 * Cohere's citations (the recorded `cohere-citations` reply, packages/fixtures/recorded/cohere-chat)
 * reach OpenAI and Anthropic callers through the gateway, streamed and not, read by the official
 * clients: OpenAI's as `message.matey_citations` (the extension for sources without a URL, offsets
 * into `message.content`), Anthropic's as text blocks with `search_result_location` citations.
 */
import Anthropic from '@anthropic-ai/sdk';
import { responseText } from 'ai.matey.core';
import type { MateyCitation } from 'ai.matey.wire';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CohereGateway,
  MODEL,
  recordedCohere,
  startCohereGateway,
} from './test-support/cohere-gateway.ts';

let gateway: CohereGateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  gateway = await startCohereGateway();
  openai = new OpenAI({ baseURL: `${gateway.server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gateway.server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => gateway.close());

const ask = [{ role: 'user' as const, content: 'Benefits?' }];
/** The recording's three cited spans: where each is in the answer, and its text. */
const SPANS = [
  [52, 71, 'Automation of tasks'],
  [75, 97, 'Better decision-making'],
  [101, 115, 'Cost reduction'],
] as const;

/** What an OpenAI client reads in `matey_citations`: each span, its offsets into the content and its source. */
function expectMateyCitations(
  content: string | null | undefined,
  citations: MateyCitation[] | undefined,
): void {
  expect(citations?.map((citation) => [citation.start_index, citation.end_index, citation.text])).toEqual(
    SPANS,
  );
  for (const citation of citations ?? []) {
    expect(content?.slice(citation.start_index, citation.end_index)).toBe(citation.text);
    expect(citation.sources).toEqual([
      {
        type: 'document',
        id: 'doc:0',
        title: 'benefits.txt',
        data: {
          id: 'doc:0',
          text: 'AI provides: 1. Automation of tasks 2. Better decision-making 3. Cost reduction',
          title: 'benefits.txt',
        },
      },
    ]);
  }
}

/** Anthropic's citation of a recorded span: a search result, the document its source. */
const anthropicCitation = (text: string) => ({
  type: 'search_result_location',
  source: 'doc:0',
  title: 'benefits.txt',
  cited_text: text,
  search_result_index: 0,
  start_block_index: 0,
  end_block_index: 1,
});

type CitedMessage = OpenAI.ChatCompletionMessage & { matey_citations?: MateyCitation[] };

describe('Cohere citations through the gateway', () => {
  it('OpenAI client, JSON: the spans in matey_citations, no url_citation without a URL', async () => {
    gateway.replay('cohere-citations');
    const want = await recordedCohere('cohere-citations', false);
    const completion = await openai.chat.completions.create({ model: MODEL, messages: ask });
    const message = completion.choices[0]?.message as CitedMessage;
    expect(message.content).toBe(responseText(want));
    expectMateyCitations(message.content, message.matey_citations);
    expect(message.annotations).toBeUndefined();
  });

  it('OpenAI client, SSE: the same citations on the final message, from the finish chunk', async () => {
    gateway.replay('cohere-citations');
    const stream = openai.chat.completions.stream({ model: MODEL, messages: ask });
    const completion = await stream.finalChatCompletion();
    const message = completion.choices[0]?.message as CitedMessage;
    expect(message.content).toBe(responseText(await recordedCohere('cohere-citations', false)));
    expectMateyCitations(message.content, message.matey_citations);
  });

  it('Anthropic client, JSON: each cited span a text block with its citation, the text between in blocks without', async () => {
    gateway.replay('cohere-citations');
    const message = await anthropic.messages.create({ model: MODEL, max_tokens: 1024, messages: ask });
    const want = responseText(await recordedCohere('cohere-citations', false));
    const blocks = message.content.filter((block) => block.type === 'text');
    expect(blocks.map((block) => block.text).join('')).toBe(want);
    const cited = blocks.filter((block) => block.citations?.length);
    expect(cited.map((block) => block.text)).toEqual(SPANS.map(([, , text]) => text));
    expect(cited.map((block) => block.citations)).toEqual(
      SPANS.map(([, , text]) => [anthropicCitation(text)]),
    );
    expect(blocks[0]?.text).toBe(want.slice(0, 52));
    expect(blocks[0]?.citations ?? []).toEqual([]);
  });

  it('Anthropic client, SSE: the citations arrive as citations_delta on the text block', async () => {
    gateway.replay('cohere-citations');
    const stream = anthropic.messages.stream({ model: MODEL, max_tokens: 1024, messages: ask });
    const deltas: string[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta') deltas.push(event.delta.type);
    });
    const message = await stream.finalMessage();
    const [block] = message.content;
    expect(block?.type === 'text' && block.text).toBe(
      responseText(await recordedCohere('cohere-citations', false)),
    );
    expect(block?.type === 'text' && block.citations).toEqual(
      SPANS.map(([, , text]) => anthropicCitation(text)),
    );
    expect(deltas.filter((type) => type === 'citations_delta')).toHaveLength(3);
  });

  it('a cited reply sent back as history (either client) is taken, and the next turn answered', async () => {
    gateway.replay('cohere-citations');
    const first = await openai.chat.completions.create({ model: MODEL, messages: ask });
    gateway.replay('cohere-text');
    const next = await openai.chat.completions.create({
      model: MODEL,
      messages: [
        ...ask,
        first.choices[0]?.message as OpenAI.ChatCompletionMessageParam,
        { role: 'user', content: 'And?' },
      ],
    });
    expect(next.choices[0]?.message.content).toBe('The capital of France is Paris.');
    gateway.replay('cohere-citations');
    const cited = await anthropic.messages.create({ model: MODEL, max_tokens: 1024, messages: ask });
    gateway.replay('cohere-text');
    const answer = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 1024,
      messages: [...ask, { role: 'assistant', content: cited.content }, { role: 'user', content: 'And?' }],
    });
    expect(answer.content).toMatchObject([{ type: 'text', text: 'The capital of France is Paris.' }]);
    // The assistant turn reached Cohere as its text, whole.
    const sent = gateway.upstream.requests.at(-1)?.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    expect(JSON.stringify(sent.messages[1]?.content)).toContain('Automation of tasks');
  });
});
