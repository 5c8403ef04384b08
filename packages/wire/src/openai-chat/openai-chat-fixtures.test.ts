/**
 * Every recorded reply in packages/fixtures/recorded/openai-chat (real OpenAI, Groq, DeepSeek, Mistral and
 * xAI responses, from the Vercel AI SDK's fixtures) decoded whole and streamed.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  type ChatResponse,
  ChatStream,
  InvalidRequestError,
  type StreamEvent,
  type ToolCallPart,
  type Usage,
} from 'ai.matey.core';
import { fixturesDir } from 'ai.matey.fixtures';
import { describe, expect, it } from 'vitest';
import { decodeStreamText } from '../test-support/stream-text.ts';
import { openaiChat } from './index.ts';

// The recorded replies ai.matey.fixtures ships (or wherever AI_MATEY_FIXTURES points).
const fixtureDir = pathToFileURL(`${fixturesDir()}/openai-chat/`);

function fixtureText(name: string): string {
  return readFileSync(new URL(name, fixtureDir), 'utf8');
}

function providerOf(name: string): string {
  return name.slice(0, name.indexOf('-'));
}

function decodeFixture(name: string): ChatResponse {
  return openaiChat.decodeResponse(JSON.parse(fixtureText(`${name}.json`)), { provider: providerOf(name) });
}

function chunkLines(name: string): Array<Record<string, unknown>> {
  return fixtureText(`${name}.chunks.txt`)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The README's framing: each line as `data: LINE` and a blank line, then `data: [DONE]`. */
function replayText(name: string): string {
  const lines = fixtureText(`${name}.chunks.txt`)
    .split('\n')
    .filter((line) => line.trim() !== '');
  return `${lines.map((line) => `data: ${line}\n\n`).join('')}data: [DONE]\n\n`;
}

function replay(name: string, pieceSize?: number): StreamEvent[] {
  return decodeStreamText(openaiChat, replayText(name), { provider: providerOf(name) }, pieceSize);
}

function collect(events: StreamEvent[]): Promise<ChatResponse> {
  return ChatStream.from(events).collect();
}

/** What the raw chunks say, read independently of the decoder: joined deltas and last usage. */
function rawStreamText(name: string, field: 'content' | 'reasoning_content'): string {
  let text = '';
  for (const chunk of chunkLines(name)) {
    const choice = (chunk.choices as Array<{ delta?: Record<string, unknown> }>)[0];
    const value = choice?.delta?.[field];
    if (typeof value === 'string') text += value;
  }
  return text;
}

function kinds(response: ChatResponse): string[] {
  return response.content.map((part) => part.type);
}

function partText(response: ChatResponse, type: 'text' | 'reasoning'): string | undefined {
  const part = response.content.find((candidate) => candidate.type === type);
  return part && 'text' in part ? part.text : undefined;
}

function toolCalls(response: ChatResponse): ToolCallPart[] {
  return response.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
}

describe('openai-chat fixtures', () => {
  it('has a test for every file in the fixture folder', () => {
    const covered = new Set([
      ...Object.keys(nonStreamed).map((name) => `${name}.json`),
      ...Object.keys(streamed).map((name) => `${name}.chunks.txt`),
      'reasoning-model-legacy-parameter-error.json',
    ]);
    for (const file of readdirSync(fixtureDir)) expect(covered, file).toContain(file);
  });

  interface Expected {
    kinds: string[];
    text?: string | RegExp;
    reasoning?: string | RegExp;
    toolCalls?: Array<Pick<ToolCallPart, 'toolCallId' | 'toolName' | 'arguments'>>;
    finishReason: ChatResponse['finishReason'];
    rawFinishReason: string;
    usage: Usage;
    id: string;
    model: string;
  }

  const nonStreamed: Record<string, Expected> = {
    'deepseek-json': {
      kinds: ['reasoning', 'text'],
      text: '{\n  "location": "San Francisco",\n  "condition": "cloudy",\n  "temperature": 7\n}',
      reasoning: /^I have the result from the weather tool\./,
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: {
        inputTokens: 495,
        outputTokens: 144,
        totalTokens: 639,
        cachedInputTokens: 320,
        reasoningTokens: 118,
      },
      id: 'f03bc170-b375-4561-9685-35182c8152c5',
      model: 'deepseek-reasoner',
    },
    'deepseek-reasoning': {
      kinds: ['reasoning', 'text'],
      text: /^The word "strawberry" contains three instances/,
      reasoning: /So answer is 3\.$/,
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: {
        inputTokens: 18,
        outputTokens: 345,
        totalTokens: 363,
        cachedInputTokens: 0,
        reasoningTokens: 315,
      },
      id: '945bb10c-9bf3-47ff-a2a2-43bbe9705c72',
      model: 'deepseek-reasoner',
    },
    'deepseek-text': {
      kinds: ['text'],
      text: /people exchange$/,
      finishReason: 'length',
      rawFinishReason: 'length',
      usage: { inputTokens: 13, outputTokens: 300, totalTokens: 313, cachedInputTokens: 0 },
      id: '00f10ecd-60b3-4707-b5db-e4bcadf7aea1',
      model: 'deepseek-chat',
    },
    'groq-text': {
      kinds: ['text'],
      text: /^I'd like to introduce "Luminaria"/,
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 45, outputTokens: 607, totalTokens: 652 },
      id: 'chatcmpl-09d64d2a-ed1c-4473-829f-78db43f45d13',
      model: 'llama-3.3-70b-versatile',
    },
    'groq-tool-call': {
      kinds: ['tool-call'],
      toolCalls: [{ toolCallId: 'ax9fskhev', toolName: 'weather', arguments: '{}' }],
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_calls',
      usage: { inputTokens: 218, outputTokens: 15, totalTokens: 233 },
      id: 'chatcmpl-1fd017fc-60b8-44eb-a736-375b8e1bc3e7',
      model: 'llama-3.3-70b-versatile',
    },
    'mistral-reasoning': {
      kinds: ['reasoning', 'text'],
      text: '2 + 2 = 4',
      reasoning: 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 10, outputTokens: 46, totalTokens: 56 },
      id: 'a4e29c5b82f94d67b23e108a7c9df6e1',
      model: 'magistral-medium-2507',
    },
    'mistral-text': {
      kinds: ['text'],
      text: /^\*\*Holiday Name: "World Kindness Day of Sharing"\*\*[\s\S]*What would you share\? 😊$/u,
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 13, outputTokens: 434, totalTokens: 447 },
      id: '5319bd0299614c679a0068a4f2c8ffd0',
      model: 'mistral-small-latest',
    },
    'mistral-tool-call': {
      kinds: ['tool-call'],
      toolCalls: [
        { toolCallId: 'gSIMJiOkT', toolName: 'weather', arguments: '{"location":"San Francisco"}' },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_calls',
      usage: { inputTokens: 124, outputTokens: 22, totalTokens: 146 },
      id: 'b3999b8c93e04e11bcbff7bcab829667',
      model: 'mistral-small-latest',
    },
    'openai-text': {
      kinds: ['text'],
      text: /^\*\*Holiday Name:\*\* Galaxy Day[\s\S]*dream beyond our world\.$/,
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: {
        inputTokens: 16,
        outputTokens: 363,
        totalTokens: 379,
        cachedInputTokens: 0,
        reasoningTokens: 0,
      },
      id: 'chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU',
      model: 'gpt-4.1-nano-2025-04-14',
    },
    'xai-text': {
      kinds: ['reasoning', 'text'],
      text: 'Hello',
      reasoning: /^First, the user said: "Say a single word\."/,
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: {
        inputTokens: 12,
        // xAI leaves reasoning out of completion_tokens (12 + 1 + 228 = 241); the spec counts it.
        outputTokens: 229,
        totalTokens: 241,
        cachedInputTokens: 2,
        reasoningTokens: 228,
      },
      id: '2af5c888-e886-6dcb-7844-95f8fe010b00',
      model: 'grok-3-mini',
    },
  };

  const streamed: Record<string, Expected> = {
    'deepseek-reasoning': {
      kinds: ['reasoning', 'text'],
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: {
        inputTokens: 18,
        outputTokens: 219,
        totalTokens: 237,
        cachedInputTokens: 0,
        reasoningTokens: 205,
      },
      id: 'cac7192e-e619-40c6-96b0-ed4276bc03ac',
      model: 'deepseek-reasoner',
    },
    'deepseek-text': {
      kinds: ['text'],
      finishReason: 'length',
      rawFinishReason: 'length',
      usage: { inputTokens: 13, outputTokens: 400, totalTokens: 413, cachedInputTokens: 0 },
      id: 'f6117a0b-129d-46fa-b239-78f01c2c5df9',
      model: 'deepseek-chat',
    },
    'groq-text': {
      kinds: ['text'],
      text: /^Introducing "L/,
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 45, outputTokens: 662, totalTokens: 707 },
      id: 'chatcmpl-7eb08824-fb8d-47af-a1f0-3aa786f2d1f3',
      model: 'llama-3.3-70b-versatile',
    },
    'groq-tool-call': {
      kinds: ['tool-call'],
      toolCalls: [{ toolCallId: 'tk85n1k4m', toolName: 'weather', arguments: '{}' }],
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_calls',
      usage: { inputTokens: 210, outputTokens: 15, totalTokens: 225 },
      id: 'chatcmpl-b610d559-f156-4aca-8827-24b4fe6af54f',
      model: 'llama-3.3-70b-versatile',
    },
    'mistral-reasoning': nonStreamed['mistral-reasoning'] as Expected,
    'mistral-text': {
      kinds: ['text'],
      text: 'Hello, world! This is a test response.',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: { inputTokens: 13, outputTokens: 8, totalTokens: 21 },
      id: '5319bd0299614c679a0068a4f2c8ffd0',
      model: 'mistral-small-latest',
    },
    'mistral-tool-call': nonStreamed['mistral-tool-call'] as Expected,
    'openai-text': {
      kinds: ['text'],
      text: /^\*\*Holiday Name:\*\* Harmony Day[\s\S]*mutual respect\.$/,
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: {
        inputTokens: 16,
        outputTokens: 300,
        totalTokens: 316,
        cachedInputTokens: 0,
        reasoningTokens: 0,
      },
      id: 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0',
      model: 'gpt-4.1-nano-2025-04-14',
    },
    'xai-text': {
      kinds: ['reasoning', 'text'],
      text: 'Hello',
      reasoning: 'First, the user said',
      finishReason: 'stop',
      rawFinishReason: 'stop',
      usage: {
        inputTokens: 12,
        outputTokens: 291,
        totalTokens: 303,
        cachedInputTokens: 11,
        reasoningTokens: 290,
      },
      id: '7327b9f5-1c2f-0a15-3fef-c14a71c460d3',
      model: 'grok-3-mini',
    },
  };

  function check(response: ChatResponse, expected: Expected, provider: string): void {
    expect(kinds(response)).toEqual(expected.kinds);
    if (typeof expected.text === 'string') expect(partText(response, 'text')).toBe(expected.text);
    else if (expected.text) expect(partText(response, 'text')).toMatch(expected.text);
    if (typeof expected.reasoning === 'string')
      expect(partText(response, 'reasoning')).toBe(expected.reasoning);
    else if (expected.reasoning) expect(partText(response, 'reasoning')).toMatch(expected.reasoning);
    if (expected.toolCalls) {
      expect(
        toolCalls(response).map(({ toolCallId, toolName, arguments: args }) => ({
          toolCallId,
          toolName,
          arguments: args,
        })),
      ).toEqual(expected.toolCalls);
    }
    expect(response.finishReason).toBe(expected.finishReason);
    expect(response.rawFinishReason).toBe(expected.rawFinishReason);
    expect(response.usage).toEqual(expected.usage);
    expect(response.id).toBe(expected.id);
    expect(response.model).toBe(expected.model);
    expect(response.provider).toBe(provider);
    expect(response.warnings).toEqual([]);
  }

  describe('non-streamed replies', () => {
    for (const [name, expected] of Object.entries(nonStreamed)) {
      it(`decodes ${name}.json`, () => {
        check(decodeFixture(name), expected, providerOf(name));
      });
    }
  });

  describe('streamed replies', () => {
    for (const [name, expected] of Object.entries(streamed)) {
      it(`decodes ${name}.chunks.txt`, async () => {
        const events = replay(name);
        const response = await collect(events);
        check(response, expected, providerOf(name));
        // The text and reasoning are exactly the recorded deltas, joined (Mistral's arrays aside).
        if (!name.startsWith('mistral-reasoning')) {
          const rawText = rawStreamText(name, 'content');
          if (rawText) expect(partText(response, 'text')).toBe(rawText);
          const rawReasoning = rawStreamText(name, 'reasoning_content');
          if (rawReasoning) expect(partText(response, 'reasoning')).toBe(rawReasoning);
        }
        expect(events[0]).toEqual({
          type: 'start',
          id: expected.id,
          model: expected.model,
          provider: providerOf(name),
        });
        expect(events.filter((event) => event.type === 'finish')).toHaveLength(1);
        expect(events.at(-1)?.type).toBe('finish');
        expect(events.some((event) => event.type === 'error')).toBe(false);
      });
    }

    it('decodes the same events whatever the network chunking (7-byte pieces)', () => {
      for (const name of ['xai-text', 'groq-tool-call', 'mistral-reasoning']) {
        expect(replay(name, 7)).toEqual(replay(name));
      }
    });

    it('starts reasoning at index 0 and text at index 1 when reasoning comes first', () => {
      const events = replay('deepseek-reasoning');
      const indexes = new Set(
        events.flatMap((event) =>
          event.type === 'reasoning-delta'
            ? [`reasoning:${event.index}`]
            : event.type === 'text-delta'
              ? [`text:${event.index}`]
              : [],
        ),
      );
      expect([...indexes]).toEqual(['reasoning:0', 'text:1']);
    });

    it('ends the tool call before the one finish', () => {
      const types = replay('groq-tool-call').map((event) => event.type);
      expect(types).toEqual(['start', 'tool-call-start', 'tool-call-delta', 'tool-call-end', 'finish']);
    });
  });

  describe('a collected stream equals the non-streamed reply', () => {
    // Only the Mistral pairs are one and the same reply (same id, usage and content); the
    // others were recorded as separate calls, so only their shape can match.
    for (const name of ['mistral-reasoning', 'mistral-tool-call']) {
      it(`for ${name}`, async () => {
        expect(await collect(replay(name))).toEqual(decodeFixture(name));
      });
    }

    for (const name of [
      'deepseek-reasoning',
      'deepseek-text',
      'groq-text',
      'groq-tool-call',
      'mistral-text',
      'openai-text',
      'xai-text',
    ]) {
      it(`has the same shape for ${name} (separate recordings)`, async () => {
        const streamedResponse = await collect(replay(name));
        const whole = decodeFixture(name);
        expect(kinds(streamedResponse)).toEqual(kinds(whole));
        expect(streamedResponse.finishReason).toBe(whole.finishReason);
        expect(Object.keys(streamedResponse.usage).sort()).toEqual(Object.keys(whole.usage).sort());
        expect(toolCalls(streamedResponse).map((call) => [call.toolName, call.arguments])).toEqual(
          toolCalls(whole).map((call) => [call.toolName, call.arguments]),
        );
        expect(streamedResponse.model).toBe(whole.model);
      });
    }
  });

  describe('reasoning-model-legacy-parameter-error.json', () => {
    it('decodes as an invalid request naming max_tokens', () => {
      const error = openaiChat.decodeError(
        400,
        JSON.parse(fixtureText('reasoning-model-legacy-parameter-error.json')),
        undefined,
        {
          provider: 'openai',
        },
      );
      expect(InvalidRequestError.isInstance(error) && error.kind === 'invalid-request').toBe(true);
      expect(error.status).toBe(400);
      expect(error.param).toBe('max_tokens');
      expect(error.code).toBe('unsupported_parameter');
      expect(error.provider).toBe('openai');
      expect(error.isRetryable).toBe(false);
      expect(error.message).toContain("Use 'max_completion_tokens' instead");
    });

    it('is avoided: requests to OpenAI send max_completion_tokens, never max_tokens', () => {
      const request = { messages: [{ role: 'user' as const, content: 'Hi' }], maxOutputTokens: 50 };
      const { body } = openaiChat.encodeRequest(request, {
        model: 'o4-mini',
        stream: false,
        provider: 'openai',
      });
      expect(body.max_completion_tokens).toBe(50);
      expect(body).not.toHaveProperty('max_tokens');
      const groq = openaiChat.encodeRequest(request, {
        model: 'llama',
        stream: false,
        provider: 'groq',
      }).body;
      expect(groq.max_tokens).toBe(50);
      expect(groq).not.toHaveProperty('max_completion_tokens');
    });
  });
});
