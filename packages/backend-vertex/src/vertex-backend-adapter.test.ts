/**
 * Vertex AI through the mock upstream, replaying recorded Gemini and Anthropic replies (Vertex
 * serves the same bodies; packages/fixtures/recorded), authenticated with a service-account key
 * generated here whose `token_uri` is a token endpoint on an ephemeral port.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChatRequest, ChatStream } from 'ai.matey.core';
import {
  generateServiceAccountKey,
  type OAuthTokenServer,
  startMockUpstream,
  startOAuthTokenServer,
} from 'ai.matey.testing';
import { registerWireProtocol } from 'ai.matey.wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERTEX_ANTHROPIC_VERSION, vertexAnthropic } from './vertex-anthropic-codec.ts';
import { VertexBackendAdapter } from './vertex-backend-adapter.ts';
import { resolveVertexLocation, type ServiceAccountKey } from './vertex-location.ts';

const TOKEN = 'ya29.vertex-test-token-7c1e';
const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello' }] };

let tokens: OAuthTokenServer;
let key: ServiceAccountKey;
let keyFile = '';

beforeAll(async () => {
  registerWireProtocol(vertexAnthropic);
  tokens = await startOAuthTokenServer({ accessToken: TOKEN, key: () => key });
  key = generateServiceAccountKey(tokens.tokenUri);
  keyFile = join(tmpdir(), `matey-vertex-key-${process.pid}.json`);
  writeFileSync(keyFile, JSON.stringify(key));
});
afterAll(() => tokens.close());

describe('VertexBackendAdapter', () => {
  it('gets a token with the key (JWT bearer grant) and calls Gemini on Vertex with it', async () => {
    await using upstream = await startMockUpstream({
      apiKeys: [TOKEN],
      reply: { fixture: 'gemini/google-text' },
    });
    const grantsBefore = tokens.grants.length;
    const vertex = new VertexBackendAdapter({ keyFile, location: 'us-east5', baseURL: upstream.url });
    const reply = await vertex.execute({ ...hello, model: 'gemini-2.5-flash' });
    expect(reply.provider).toBe('vertex');
    expect(reply.content[0]).toMatchObject({ type: 'text' });
    expect(reply.usage.inputTokens).toBeGreaterThan(0);
    const [call] = upstream.requests;
    expect(call?.path).toBe(
      '/v1/projects/matey-test-project/locations/us-east5/publishers/google/models/gemini-2.5-flash:generateContent',
    );
    const grant = tokens.grants[grantsBefore];
    expect(grant?.signatureValid).toBe(true);
    expect(grant?.claims).toMatchObject({
      iss: key.client_email,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
    });
    // The token is cached: a second call asks for no new one.
    await vertex.execute({ ...hello, model: 'gemini-2.5-flash' });
    expect(tokens.grants.length).toBe(grantsBefore + 1);
  });

  it('gets a new token once the last one is about to expire, and sends the new one', async () => {
    let seen: unknown[] = [];
    await using upstream = await startMockUpstream({
      reply: (_request, context) => {
        seen = [...seen, context.headers.authorization];
        return { text: 'ok' };
      },
    });
    let key: ReturnType<typeof generateServiceAccountKey> | undefined;
    // Tokens that live a minute: inside google-auth-library's refresh margin, so each call refreshes.
    await using shortLived = await startOAuthTokenServer({
      accessToken: (grant) => `ya29.short-lived-${grant}`,
      expiresInSeconds: 60,
      key: () => key,
    });
    key = generateServiceAccountKey(shortLived.tokenUri);
    const vertex = new VertexBackendAdapter({ credentials: key, baseURL: upstream.url });
    await vertex.execute(hello);
    await vertex.execute(hello);
    expect(shortLived.grants).toHaveLength(2);
    expect(seen).toEqual(['Bearer ya29.short-lived-0', 'Bearer ya29.short-lived-1']);
  });

  it('streams Gemini on Vertex (streamGenerateContent?alt=sse) with the tool call and its arguments', async () => {
    await using upstream = await startMockUpstream({
      apiKeys: [TOKEN],
      reply: { fixture: 'gemini/google-stream-tool-call-arguments' },
    });
    const vertex = new VertexBackendAdapter({ credentials: key, baseURL: upstream.url });
    const reply = await ChatStream.from(
      vertex.stream({ ...hello, model: 'vertex/gemini-2.5-pro' }),
    ).collect();
    expect(reply.content.some((part) => part.type === 'tool-call')).toBe(true);
    expect(reply.finishReason).toBe('tool-calls');
    expect(upstream.requests[0]?.path).toBe(
      '/v1/projects/matey-test-project/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
    );
  });

  it('calls Claude on Vertex with rawPredict: no model in the body, anthropic_version set, the Bearer token sent', async () => {
    let authorization: unknown;
    await using upstream = await startMockUpstream({
      reply: (_request, context) => {
        authorization = context.headers.authorization;
        return { fixture: 'anthropic-messages/anthropic-text' };
      },
    });
    const vertex = new VertexBackendAdapter({ keyFile, location: 'global', baseURL: upstream.url });
    const reply = await vertex.execute({
      ...hello,
      model: 'claude-sonnet-4-5@20250929',
      maxOutputTokens: 64,
    });
    expect(reply.content[0]).toMatchObject({ type: 'text' });
    expect(authorization).toBe(`Bearer ${TOKEN}`);
    const [call] = upstream.requests;
    expect(call?.path).toBe(
      '/v1/projects/matey-test-project/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict',
    );
    expect(call?.body).toMatchObject({ anthropic_version: VERTEX_ANTHROPIC_VERSION, max_tokens: 64 });
    expect(call?.body).not.toHaveProperty('model');
  });

  it('streams Claude on Vertex with streamRawPredict, thinking and text as recorded', async () => {
    await using upstream = await startMockUpstream({
      apiKeys: [TOKEN],
      reply: { fixture: 'anthropic-messages/anthropic-clear-thinking.1' },
    });
    const vertex = new VertexBackendAdapter({ keyFile, baseURL: upstream.url });
    const reply = await ChatStream.from(
      vertex.stream({ ...hello, model: 'claude-haiku-4-5@20251001' }),
    ).collect();
    expect(reply.content.map((part) => part.type)).toContain('reasoning');
    expect(upstream.requests[0]?.path).toMatch(
      /publishers\/anthropic\/models\/claude-haiku-4-5@20251001:streamRawPredict$/,
    );
    expect(upstream.requests[0]?.body).toMatchObject({
      stream: true,
      anthropic_version: VERTEX_ANTHROPIC_VERSION,
    });
  });

  it.each([
    ['gemini-2.5-flash', 'google'],
    ['claude-sonnet-4-5@20250929', 'anthropic'],
  ])('a token Vertex refuses (%s) is its 401, an authentication error', async (model) => {
    await using upstream = await startMockUpstream({ apiKeys: ['ya29.some-other-token'] });
    const vertex = new VertexBackendAdapter({ keyFile, baseURL: upstream.url });
    const failure = await vertex.execute({ ...hello, model }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'authentication', status: 401, provider: 'vertex' });
  });

  it('with no key given, Application Default Credentials: the file GOOGLE_APPLICATION_CREDENTIALS names, its project', async () => {
    await using upstream = await startMockUpstream({ apiKeys: [TOKEN], reply: { text: 'via ADC' } });
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = keyFile;
    try {
      const vertex = new VertexBackendAdapter({ baseURL: upstream.url, location: 'asia-northeast1' });
      const reply = await vertex.execute({ ...hello, model: 'gemini-2.5-flash' });
      expect(reply.content).toEqual([{ type: 'text', text: 'via ADC' }]);
      expect(upstream.requests[0]?.path).toMatch(
        /^\/v1\/projects\/matey-test-project\/locations\/asia-northeast1\//,
      );
    } finally {
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    }
  });

  it("takes any token source (auth), and lists the catalog's Vertex models with their prices", async () => {
    await using upstream = await startMockUpstream({ apiKeys: ['ya29.own-source'], reply: { text: 'ok' } });
    const vertex = new VertexBackendAdapter({
      project: 'p',
      baseURL: upstream.url,
      auth: { getAccessToken: async () => 'ya29.own-source' },
    });
    expect((await vertex.execute(hello)).content).toEqual([{ type: 'text', text: 'ok' }]);
    const models = await vertex.listModels();
    expect(models.find((model) => model.id === 'claude-sonnet-4-5@20250929')?.pricing).toMatchObject({
      inputPerMTok: 3,
      outputPerMTok: 15,
    });
    expect(models.some((model) => model.id === 'gemini-2.5-flash')).toBe(true);
  });

  it.each(['gemini-2.5-flash', 'claude-sonnet-4-5@20250929'])(
    "a project without access (%s) is Vertex's 403 in Google's shape, a permission error",
    async (model) => {
      await using upstream = await startMockUpstream({
        reply: { error: 'permission', errorMessage: 'Permission denied on resource project p.' },
      });
      const vertex = new VertexBackendAdapter({ keyFile, baseURL: upstream.url });
      const failure = await vertex.execute({ ...hello, model }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ kind: 'permission', status: 403, provider: 'vertex' });
      expect((failure as Error).message).toContain('Permission denied on resource project p.');
    },
  );

  it('a key the token endpoint refuses is an authentication error, and nothing is sent upstream', async () => {
    await using upstream = await startMockUpstream({ apiKeys: [TOKEN] });
    const forged = { ...generateServiceAccountKey(tokens.tokenUri), client_email: key.client_email };
    const vertex = new VertexBackendAdapter({ credentials: forged, baseURL: upstream.url });
    const failure = await vertex.execute(hello).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      kind: 'authentication',
      code: 'credentials_unavailable',
      provider: 'vertex',
    });
    expect(upstream.requests).toHaveLength(0);
    expect(await vertex.healthCheck()).toMatchObject({ healthy: false });
  });
});

describe('resolveVertexLocation', () => {
  it('uses the regional host, and aiplatform.googleapis.com for global', () => {
    expect(resolveVertexLocation({ project: 'p', location: 'europe-west4' }).baseURL).toBe(
      'https://europe-west4-aiplatform.googleapis.com',
    );
    expect(resolveVertexLocation({ project: 'p', location: 'global' }).baseURL).toBe(
      'https://aiplatform.googleapis.com',
    );
  });

  it('takes the project from the key when no option or variable names one, and says so when none does', () => {
    const saved = { project: process.env.GOOGLE_CLOUD_PROJECT, gcloud: process.env.GCLOUD_PROJECT };
    delete process.env.GOOGLE_CLOUD_PROJECT;
    delete process.env.GCLOUD_PROJECT;
    try {
      expect(resolveVertexLocation({ key: { project_id: 'from-key' } }).project).toBe('from-key');
      expect(() => resolveVertexLocation({})).toThrow(/GOOGLE_CLOUD_PROJECT/);
    } finally {
      if (saved.project !== undefined) process.env.GOOGLE_CLOUD_PROJECT = saved.project;
      if (saved.gcloud !== undefined) process.env.GCLOUD_PROJECT = saved.gcloud;
    }
  });
});
