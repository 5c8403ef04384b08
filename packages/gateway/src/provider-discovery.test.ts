/** Providers the gateway finds in the environment when the config lists none: Cohere and Vertex AI. */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vertexAnthropic } from 'ai.matey.backend.vertex';
import {
  generateServiceAccountKey,
  type MockUpstream,
  startMockUpstream,
  startOAuthTokenServer,
} from 'ai.matey.testing';
import { registerWireProtocol } from 'ai.matey.wire';
import { afterEach, describe, expect, it } from 'vitest';
import { type BuiltGateway, buildGateway } from './build-gateway.ts';
import { gatewayConfigSchema } from './config-schema.ts';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function upstream(options: Parameters<typeof startMockUpstream>[0]): Promise<MockUpstream> {
  const started = await startMockUpstream(options);
  open.push(started);
  return started;
}

async function build(env: NodeJS.ProcessEnv): Promise<BuiltGateway> {
  const built = await buildGateway(gatewayConfigSchema.parse({}), {
    env,
    fleetTimeScale: 0,
    logDestination: { write() {} },
  });
  open.push(built);
  return built;
}

const hello = { messages: [{ role: 'user' as const, content: 'hello' }] };

describe('provider discovery', () => {
  it('enables Cohere from COHERE_API_KEY, at COHERE_BASE_URL', async () => {
    const cohere = await upstream({ apiKeys: ['co-env-key-123'], reply: { text: 'from cohere' } });
    const built = await build({ COHERE_API_KEY: 'co-env-key-123', COHERE_BASE_URL: cohere.url });
    expect(built.providers).toEqual([expect.objectContaining({ name: 'cohere', simulated: false })]);
    expect(built.providers[0]?.models).toContain('command-a-03-2025');
    const reply = await built.bridge.execute({ ...hello, model: 'command-r-08-2024' });
    expect(reply.content).toEqual([{ type: 'text', text: 'from cohere' }]);
    expect(cohere.requests.at(-1)?.path).toBe('/v2/chat');
  });

  it('enables Vertex AI from GOOGLE_CLOUD_PROJECT and GOOGLE_APPLICATION_CREDENTIALS', async () => {
    registerWireProtocol(vertexAnthropic);
    let key: ReturnType<typeof generateServiceAccountKey> | undefined;
    const tokens = await startOAuthTokenServer({ accessToken: 'ya29.discovered', key: () => key });
    open.push(tokens);
    key = generateServiceAccountKey(tokens.tokenUri, 'key-project');
    const keyFile = join(tmpdir(), `matey-discovery-${process.pid}.json`);
    writeFileSync(keyFile, JSON.stringify(key));
    const vertex = await upstream({ apiKeys: ['ya29.discovered'], reply: { text: 'from vertex' } });
    const built = await build({
      GOOGLE_CLOUD_PROJECT: 'env-project',
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
      GOOGLE_CLOUD_LOCATION: 'europe-west4',
      VERTEX_BASE_URL: vertex.url,
    });
    expect(built.providers).toEqual([
      expect.objectContaining({ name: 'vertex', type: 'vertex', simulated: false }),
    ]);
    const reply = await built.bridge.execute({ ...hello, model: 'claude-haiku-4-5@20251001' });
    expect(reply.content).toEqual([{ type: 'text', text: 'from vertex' }]);
    expect(vertex.requests.at(-1)?.path).toBe(
      '/v1/projects/env-project/locations/europe-west4/publishers/anthropic/models/claude-haiku-4-5@20251001:rawPredict',
    );
  });

  it('a project variable without credentials enables nothing (the simulated fleet serves)', async () => {
    const built = await build({ GOOGLE_CLOUD_PROJECT: 'env-project' });
    expect(built.fleet).toBeDefined();
  });
});
