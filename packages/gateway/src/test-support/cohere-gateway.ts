/**
 * A gateway with `type: cohere` in front of a mock upstream replaying recorded Cohere replies
 * (packages/fixtures/recorded/cohere-chat, by the Vercel AI SDK, Apache 2.0), and the recording
 * as the codec reads it, which is what every client must show.
 */
import { type ChatResponse, ChatStream } from 'ai.matey.core';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { fixtureToSse, type MockUpstream, readFixture, startMockUpstream } from 'ai.matey.testing';
import { cohere, SseParser } from 'ai.matey.wire';
import { createGatewayFromConfig } from '../create-gateway-from-config.ts';

export const MODEL = 'cohere/command-a-03-2025';
const UPSTREAM_KEY = 'co-upstream-key-4d2a91';

export interface CohereGateway {
  upstream: MockUpstream;
  server: RunningGateway;
  /** The log lines the gateway wrote, parsed. */
  logLines: Array<Record<string, unknown>>;
  /** The next upstream call answers with this recording (`cohere-text`, …). */
  replay(name: string): void;
  close(): Promise<void>;
}

/** Starts the mock upstream and a served gateway whose one provider is `type: cohere` at it, logging to `logLines`. */
export async function startCohereGateway(): Promise<CohereGateway> {
  const upstream = await startMockUpstream({ apiKeys: [UPSTREAM_KEY] });
  const logLines: Array<Record<string, unknown>> = [];
  const built = await createGatewayFromConfig(
    {
      providers: { cohere: { type: 'cohere', baseURL: upstream.url, apiKey: UPSTREAM_KEY } },
      middleware: { logging: { level: 'info' }, retry: false },
    },
    { env: {}, logDestination: { write: (line) => logLines.push(JSON.parse(line)) } },
  );
  const server = await serveGateway(built.gateway, { port: 0 });
  return {
    upstream,
    server,
    logLines,
    replay: (name) => upstream.enqueue({ fixture: `cohere-chat/${name}` }),
    async close() {
      await server.close();
      await built.close();
      await upstream.close();
    },
  };
}

/** The recording as the Cohere codec reads it, whole or streamed. */
export async function recordedCohere(name: string, stream: boolean): Promise<ChatResponse> {
  const context = { provider: 'cohere' };
  const fixture = readFixture('cohere-chat', name);
  if (!stream) return cohere.decodeResponse(fixture.json, context);
  const decoder = cohere.createStreamDecoder(context);
  const parser = new SseParser();
  const sse = [...parser.push(fixtureToSse('cohere-chat', fixture.chunks ?? [])), ...parser.end()];
  return ChatStream.from([...sse.flatMap((event) => decoder.push(event)), ...decoder.end()]).collect();
}
