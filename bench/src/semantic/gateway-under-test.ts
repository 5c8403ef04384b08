import { buildGateway, gatewayConfigSchema } from 'ai.matey.gateway';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { MemoryStore } from 'ai.matey.middleware';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import type { SifEmbedder } from './sif-embedder.ts';

/** An OpenAI-compatible upstream whose embedding model is the SIF word-vector embedder. */
export function startEmbeddingUpstream(model: SifEmbedder): Promise<MockUpstream> {
  return startMockUpstream({
    log: false,
    embedReply: (request) => ({ embeddings: request.inputs.map((input) => model.embed(String(input))) }),
  });
}

export interface SemanticSettings {
  threshold: number;
  matchNumbers?: boolean;
}

/**
 * A gateway built from config as a user would (`buildGateway`), served on an ephemeral port, in
 * front of the upstream: the exact cache, and the semantic cache when settings are given.
 */
export async function startGatewayUnderTest(
  upstream: MockUpstream,
  semantic: SemanticSettings | undefined,
): Promise<{ url: string; close(): Promise<void> }> {
  const config = gatewayConfigSchema.parse({
    providers: { openai: { apiKey: 'bench', baseURL: `${upstream.url}/v1` } },
    middleware: {
      cache: {},
      logging: false,
      retry: false,
      ...(semantic
        ? {
            semanticCache: {
              embeddingModel: 'openai/text-embedding-3-small',
              threshold: semantic.threshold,
              matchNumbers: semantic.matchNumbers ?? true,
            },
          }
        : {}),
    },
  });
  const built = await buildGateway(config, { env: {}, store: new MemoryStore(), warn() {} });
  const running: RunningGateway = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 100 });
  return {
    url: running.url,
    async close() {
      await running.close();
      await built.close();
    },
  };
}

/** One chat call as a client makes it: the answer's text, the cache header, the time taken. */
export async function askGateway(
  url: string,
  prompt: string,
): Promise<{ text: string; cache: string | null; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: prompt }] }),
  });
  const body = (await response.json()) as { choices?: Array<{ message?: { content?: string } }> };
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`the gateway answered ${response.status}: ${JSON.stringify(body)}`);
  return {
    text: body.choices?.[0]?.message?.content ?? '',
    cache: response.headers.get('x-matey-cache'),
    ms,
  };
}
