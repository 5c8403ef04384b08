import type { ChatResponse } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { gemini } from './index.ts';

const context = { provider: 'google' };

const richResponse: ChatResponse = {
  id: 'resp-1',
  model: 'gemini-2.5-pro',
  provider: 'google',
  content: [
    {
      type: 'reasoning',
      text: 'The user wants the weather.',
      signature: 'sig-1',
      providerMetadata: { gemini: { thoughtSignature: 'sig-1' } },
    },
    { type: 'text', text: 'Checking both cities.' },
    {
      type: 'tool-call',
      toolCallId: 'call_a',
      toolName: 'weather',
      arguments: '{"city":"Oslo"}',
      providerMetadata: { gemini: { thoughtSignature: 'sig-2' } },
    },
    {
      type: 'tool-call',
      toolCallId: 'call_b',
      toolName: 'weather',
      arguments: '{"city":"Rome","days":[1,2]}',
    },
  ],
  finishReason: 'tool-calls',
  rawFinishReason: 'STOP',
  usage: { inputTokens: 40, outputTokens: 75, totalTokens: 115, reasoningTokens: 50, cachedInputTokens: 8 },
  warnings: [],
  providerMetadata: { gemini: { groundingMetadata: { webSearchQueries: ['weather oslo'] } } },
};

describe('gemini responses', () => {
  it('encodeResponse then decodeResponse gives back the same response', () => {
    const body = gemini.encodeResponse(richResponse);
    expect(gemini.decodeResponse(JSON.parse(JSON.stringify(body)), context)).toEqual(richResponse);
  });

  it('encodes usage with thoughts apart from candidates, as Gemini counts them', () => {
    const body = gemini.encodeResponse(richResponse);
    expect(body.usageMetadata).toEqual({
      promptTokenCount: 40,
      candidatesTokenCount: 25,
      thoughtsTokenCount: 50,
      cachedContentTokenCount: 8,
      totalTokenCount: 115,
    });
    expect(body.responseId).toBe('resp-1');
    expect(body.modelVersion).toBe('gemini-2.5-pro');
  });

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content-filter'],
    ['RECITATION', 'content-filter'],
    ['BLOCKLIST', 'content-filter'],
    ['PROHIBITED_CONTENT', 'content-filter'],
    ['SPII', 'content-filter'],
    ['MALFORMED_FUNCTION_CALL', 'other'],
    ['LANGUAGE', 'other'],
  ])('maps finish reason %s to %s and keeps the raw one', (raw, expected) => {
    const response = gemini.decodeResponse(
      { candidates: [{ content: { role: 'model', parts: [{ text: 'x' }] }, finishReason: raw }] },
      context,
    );
    expect(response.finishReason).toBe(expected);
    expect(response.rawFinishReason).toBe(raw);
    expect(gemini.encodeResponse(response).candidates).toEqual([
      expect.objectContaining({ finishReason: raw }),
    ]);
  });

  it('reads a blocked prompt (no candidates) as content-filter, and writes it back the same way', () => {
    const blocked = {
      promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
      usageMetadata: { promptTokenCount: 12, totalTokenCount: 12 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'r',
    };
    const response = gemini.decodeResponse(blocked, context);
    expect(response.content).toEqual([]);
    expect(response.finishReason).toBe('content-filter');
    expect(response.rawFinishReason).toBe('PROHIBITED_CONTENT');
    expect(response.usage).toEqual({ inputTokens: 12, outputTokens: 0, totalTokens: 12 });
    const encoded = gemini.encodeResponse(response);
    expect(encoded.candidates).toBeUndefined();
    expect(encoded.promptFeedback).toEqual({ blockReason: 'PROHIBITED_CONTENT' });
  });

  it('warns about reply parts a chat response cannot hold', () => {
    const response = gemini.decodeResponse(
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [{ text: 'Here:' }, { inlineData: { mimeType: 'image/png', data: 'AA' } }],
            },
            finishReason: 'STOP',
          },
        ],
      },
      context,
    );
    expect(response.content).toEqual([{ type: 'text', text: 'Here:' }]);
    expect(response.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-content', setting: 'inlineData' }),
    ]);
  });

  it('throws the typed error for an error body answered with 200', () => {
    expect(() =>
      gemini.decodeResponse(
        { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } },
        context,
      ),
    ).toThrow(expect.objectContaining({ kind: 'overloaded', status: 503 }));
  });
});
