import { type ChatRequest, ChatStream, responseText } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { TEST_KEY } from '../test-support/adapter-families.ts';
import { useMockUpstream } from '../test-support/upstream-harness.ts';
import { AzureOpenAIBackendAdapter } from './azure-openai-backend-adapter.ts';
import { createBackend } from './create-backend.ts';
import { OpenAIBackendAdapter } from './openai-backend-adapter.ts';

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }] };

describe("protocol: 'openai-responses'", () => {
  const mock = useMockUpstream();

  it('calls OpenAI at /v1/responses, plain and streamed, and reads the recorded reply', async () => {
    const openai = new OpenAIBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: `${mock.upstream.url}/v1`,
      protocol: 'openai-responses',
      defaultModel: 'gpt-5-codex',
    });
    mock.upstream.enqueue(
      { fixture: 'openai-responses/azure-text.1' },
      { fixture: 'openai-responses/azure-text.1' },
    );
    const plain = await openai.execute(hello);
    const streamed = await ChatStream.from(openai.stream(hello)).collect();
    // The recording's JSON and stream are two replies: 'Word…' and 'Hello…'.
    expect(responseText(plain)).toMatch(/^Word/);
    expect(responseText(streamed)).toMatch(/^Hello/);
    expect(plain).toMatchObject({ provider: 'openai', finishReason: 'stop' });
    expect(streamed.usage.outputTokens).toBeGreaterThan(0);
    expect(mock.upstream.requests.map((request) => request.path)).toEqual(['/v1/responses', '/v1/responses']);
    expect(mock.upstream.requests[0]?.body).toMatchObject({
      model: 'gpt-5-codex',
      input: [{ role: 'user' }],
    });
  });

  it('calls Azure at /openai/v1/responses with the deployment as the model', async () => {
    const azure = new AzureOpenAIBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: mock.upstream.url,
      deployment: 'codex-prod',
      protocol: 'openai-responses',
    });
    mock.upstream.enqueue({ fixture: 'openai-responses/azure-tool-call.1' });
    const reply = await azure.execute({ ...hello, model: 'gpt-5' });
    expect(reply.finishReason).toBe('tool-calls');
    expect(mock.upstream.requests.at(-1)?.path).toBe('/openai/v1/responses');
    expect(mock.upstream.requests.at(-1)?.body).toMatchObject({ model: 'codex-prod' });
  });

  it('is an option of OpenAI and Azure only', () => {
    expect(createBackend('openai', { apiKey: 'k', protocol: 'openai-responses' })).toBeInstanceOf(
      OpenAIBackendAdapter,
    );
    expect(() => createBackend('groq', { apiKey: 'k', protocol: 'openai-responses' })).toThrow(/protocol/);
  });
});
