/**
 * Items the spec has no part for pass from a Responses stream to a Responses client as they
 * came: an MCP tool listing and call (synthetic events in OpenAI's documented shapes), decoded by
 * the stream decoder and written again by the stream encoder.
 */
import { ChatStream, type StreamEvent } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { SseParser } from '../sse/sse-parser.ts';
import { decodeStreamText } from '../test-support/stream-text.ts';
import { openaiResponses } from './index.ts';

const response = (status: string, output: unknown[]) => ({
  id: 'resp_mcp',
  object: 'response',
  created_at: 1,
  status,
  model: 'gpt-5',
  output,
  usage: status === 'completed' ? { input_tokens: 10, output_tokens: 5, total_tokens: 15 } : null,
});
const listTools = {
  id: 'mcpl_1',
  type: 'mcp_list_tools',
  server_label: 'deepwiki',
  tools: [{ name: 'ask_question', input_schema: { type: 'object' } }],
};
const call = {
  id: 'mcp_1',
  type: 'mcp_call',
  server_label: 'deepwiki',
  name: 'ask_question',
  arguments: '{"q":"x"}',
  output: 'answer',
  error: null,
};
const events = [
  { type: 'response.created', response: response('in_progress', []) },
  { type: 'response.in_progress', response: response('in_progress', []) },
  { type: 'response.output_item.added', output_index: 0, item: { ...listTools, tools: [] } },
  { type: 'response.mcp_list_tools.in_progress', output_index: 0, item_id: 'mcpl_1' },
  { type: 'response.mcp_list_tools.completed', output_index: 0, item_id: 'mcpl_1' },
  { type: 'response.output_item.done', output_index: 0, item: listTools },
  { type: 'response.output_item.added', output_index: 1, item: { ...call, arguments: '', output: null } },
  { type: 'response.mcp_call.in_progress', output_index: 1, item_id: 'mcp_1' },
  { type: 'response.mcp_call_arguments.delta', output_index: 1, item_id: 'mcp_1', delta: '{"q":"x"}' },
  { type: 'response.mcp_call_arguments.done', output_index: 1, item_id: 'mcp_1', arguments: '{"q":"x"}' },
  { type: 'response.mcp_call.completed', output_index: 1, item_id: 'mcp_1' },
  { type: 'response.output_item.done', output_index: 1, item: call },
  { type: 'response.completed', response: response('completed', [listTools, call]) },
].map((event, sequence_number) => ({ ...event, sequence_number }));

const sse = events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
const context = { provider: 'openai' };

function encode(specEvents: StreamEvent[]): Array<Record<string, unknown>> {
  const encoder = openaiResponses.createStreamEncoder();
  const text = specEvents.map((event) => encoder.encode(event)).join('') + encoder.end();
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()].map(
    (event) => JSON.parse(event.data) as Record<string, unknown>,
  );
}

describe('Responses items the spec has no part for', () => {
  it('stream through decoder and encoder event for event', () => {
    const out = encode(decodeStreamText(openaiResponses, sse, context));
    const strip = ({ response: _response, ...rest }: Record<string, unknown>) => rest;
    expect(out.map(strip)).toEqual(events.map(strip));
    expect(out.at(-1)?.response).toMatchObject({ status: 'completed', output: [listTools, call] });
  });

  it('come back whole from a collected stream, as JSON and as a replayed stream', async () => {
    const collected = await ChatStream.from(decodeStreamText(openaiResponses, sse, context)).collect();
    expect(openaiResponses.encodeResponse(collected).output).toEqual([listTools, call]);
    const replayed = encode(decodeStreamText(openaiResponses, sse, context));
    expect(
      replayed.filter((event) => event.type === 'response.output_item.done').map((event) => event.item),
    ).toEqual([listTools, call]);
  });
});
