/** The recorded Responses errors (packages/fixtures/recorded/openai-responses) read as typed errors. */
import { fixtureToSse, readFixture } from 'ai.matey.fixtures';
import { describe, expect, it } from 'vitest';
import { decodeStreamText } from '../test-support/stream-text.ts';
import { openaiResponses } from './index.ts';

const context = { provider: 'openai' };

describe('recorded Responses errors', () => {
  it('reads an out-of-quota body as a 429 that waiting does not cure', () => {
    const error = openaiResponses.decodeError(
      429,
      readFixture('openai-responses', 'openai-error.1').json,
      undefined,
      context,
    );
    expect(error).toMatchObject({ kind: 'rate-limited', isRetryable: false, code: 'insufficient_quota' });
  });

  it('ends a stream that reports the same error in-band with that error, after its start', () => {
    const chunks = readFixture('openai-responses', 'openai-error.1').chunks ?? [];
    const events = decodeStreamText(openaiResponses, fixtureToSse('openai-responses', chunks), context);
    expect(events[0]).toMatchObject({ type: 'start', provider: 'openai' });
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type === 'error')
      expect(last.error).toMatchObject({ kind: 'rate-limited', code: 'insufficient_quota' });
  });

  it('names the parameter a model refused', () => {
    const body = readFixture('openai-responses', 'reasoning-model-temperature-error').json;
    const error = openaiResponses.decodeError(400, body, undefined, context);
    expect(error).toMatchObject({ kind: 'invalid-request', status: 400, param: 'temperature' });
  });

  it('ends a stream cut before its terminal event with a network error', () => {
    const chunks = (readFixture('openai-responses', 'azure-text.1').chunks ?? []).slice(0, 4);
    const events = decodeStreamText(openaiResponses, fixtureToSse('openai-responses', chunks), context);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'network', code: 'stream_incomplete' },
    });
  });
});
