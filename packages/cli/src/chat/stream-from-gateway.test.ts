import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { AiMateyError, collectStream } from 'ai.matey.core';
import { gatewayConfigSchema, type StartedGateway, startGateway } from 'ai.matey.gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamFromGateway } from './stream-from-gateway.ts';

let gateway: StartedGateway;
beforeAll(async () => {
  gateway = await startGateway(
    gatewayConfigSchema.parse({
      server: { port: 0 },
      keys: [{ id: 'cli', key: 'cli-test-key-1' }],
      middleware: { logging: false },
    }),
    { fleetTimeScale: 0, fleetFailureRate: 0 },
  );
});
afterAll(() => gateway.shutdown());

const request = (model?: string) => ({
  ...(model ? { model } : {}),
  messages: [{ role: 'user' as const, content: 'through the gateway' }],
});

describe('streamFromGateway', () => {
  it('decodes the gateway SSE into spec events, routed by a provider/model prefix', async () => {
    const response = await collectStream(
      streamFromGateway(request('groq/'), { url: `${gateway.url}/v1`, apiKey: 'cli-test-key-1' }),
    );
    expect(response.provider).toBe('groq');
    expect(response.model).toBe('llama-3.1-8b-instant');
    expect(response.finishReason).toBe('stop');
    expect(response.usage.outputTokens).toBeGreaterThan(0);
    expect(JSON.stringify(response.content)).toContain('You said: \\"through the gateway\\"');
  });

  it('throws the gateway error, typed, without echoing the key', async () => {
    const failure = await collectStream(
      streamFromGateway(request(), { url: gateway.url, apiKey: 'wrong-key-value' }),
    ).catch((error: unknown) => error);
    expect(AiMateyError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ kind: 'authentication', status: 401 });
    expect(String((failure as Error).message)).not.toContain('wrong-key-value');
    const unknownModel = await collectStream(
      streamFromGateway(request('nobody/x'), { url: gateway.url, apiKey: 'cli-test-key-1' }),
    ).catch((error: unknown) => error);
    expect(unknownModel).toMatchObject({ kind: 'model-not-found', status: 404 });
  });

  it('says when the gateway cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await collectStream(
      streamFromGateway(request(), { url: `http://127.0.0.1:${port}` }),
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'network' });
    expect((failure as Error).message).toBe(
      `cannot reach the gateway at http://127.0.0.1:${port}: ECONNREFUSED`,
    );
  });
});
