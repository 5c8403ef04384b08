import { type ChatRequest, type ChatResponse, collectStream, type StreamEvent } from 'ai.matey.core';
import { SseParser, wireCodec } from 'ai.matey.wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SimulatedFleet,
  type SimulatedProvider,
  simulatedProfiles,
  startSimulatedFleet,
} from './simulated-fleet.ts';
import { chatCall } from './test-requests.ts';

const readFile = {
  name: 'read_file',
  description: 'Reads a file',
  inputSchema: {
    type: 'object',
    properties: { path: { type: 'string' }, lines: { type: 'integer', minimum: 1 } },
    required: ['path'],
  },
};

/** One call to a simulated provider in its own protocol, encoded and decoded by its codec. */
async function call(
  provider: SimulatedProvider,
  request: ChatRequest,
  stream: boolean,
): Promise<ChatResponse> {
  const codec = wireCodec(provider.protocol);
  const model = provider.models[0] ?? '';
  const { body } = codec.encodeRequest(request, { model, stream, provider: provider.name });
  const path = codec.endpoints.chatPath(
    codec.endpoints.versionedPath(new URL(provider.baseURL).pathname.replace(/\/$/, '')),
    model,
    stream,
  );
  const res = await fetch(provider.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...chatCall(provider.protocol).headers },
    body: JSON.stringify(body),
  });
  expect(res.status, `${provider.name} ${path}`).toBe(200);
  const context = { provider: provider.name, request };
  if (!stream) return codec.decodeResponse(await res.json(), context);
  const parser = new SseParser();
  const decoder = codec.createStreamDecoder(context);
  const events: StreamEvent[] = [];
  for (const event of parser.push(await res.text())) events.push(...decoder.push(event));
  for (const event of parser.end()) events.push(...decoder.push(event));
  events.push(...decoder.end());
  return collectStream(
    (async function* () {
      yield* events;
    })(),
  );
}

let fleet: SimulatedFleet;
beforeAll(async () => {
  const names = ['openai', 'anthropic', 'google', 'deepseek'];
  fleet = await startSimulatedFleet(
    names.map((name) => simulatedProfiles[name] as NonNullable<(typeof simulatedProfiles)[string]>),
    { timeScale: 0, failureRate: 0 },
  );
});
afterAll(() => fleet.close());

describe.each(['openai', 'anthropic', 'google', 'deepseek'])(
  'the simulated %s upstream in an agent loop',
  (name) => {
    it.each([false, true])(
      'calls the offered tool, then answers from its result (stream: %s)',
      async (stream) => {
        const provider = fleet.get(name) as SimulatedProvider;
        const request: ChatRequest = {
          messages: [{ role: 'user', content: 'Use read_file with {"path":"notes/today.md"}' }],
          tools: [readFile],
        };
        const first = await call(provider, request, stream);
        expect(first.finishReason).toBe('tool-calls');
        const toolCall = first.content.find((part) => part.type === 'tool-call');
        expect(toolCall).toMatchObject({ toolName: 'read_file', arguments: '{"path":"notes/today.md"}' });
        if (toolCall?.type !== 'tool-call') return;

        const second = await call(
          provider,
          {
            ...request,
            messages: [
              ...request.messages,
              { role: 'assistant', content: first.content },
              {
                role: 'tool',
                content: [
                  {
                    type: 'tool-result',
                    toolCallId: toolCall.toolCallId,
                    toolName: 'read_file',
                    content: 'buy milk',
                  },
                ],
              },
            ],
          },
          stream,
        );
        expect(second.finishReason).toBe('stop');
        expect(second.content.filter((part) => part.type === 'tool-call')).toEqual([]);
        expect(second.content.find((part) => part.type === 'text')).toMatchObject({
          text: 'Done. read_file returned: buy milk',
        });
      },
    );

    it('fills in arguments valid against the schema when the user writes none', async () => {
      const provider = fleet.get(name) as SimulatedProvider;
      const reply = await call(
        provider,
        { messages: [{ role: 'user', content: 'go' }], tools: [readFile] },
        false,
      );
      expect(reply.content.find((part) => part.type === 'tool-call')).toMatchObject({
        toolName: 'read_file',
        arguments: '{"path":"example"}',
      });
    });
  },
);
