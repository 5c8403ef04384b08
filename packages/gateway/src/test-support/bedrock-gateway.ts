/**
 * A gateway with `type: bedrock` in front of a mock upstream that speaks Bedrock
 * (`bedrockMockUpstream`: SigV4 checked from these credentials), and the recorded Bedrock replies
 * (packages/fixtures/recorded/bedrock-converse, by the Vercel AI SDK, Apache 2.0) the tests
 * compare what the clients read with.
 */
import { bedrockMockUpstream } from 'ai.matey.backend.bedrock';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { type MockUpstream, readFixture, startMockUpstream } from 'ai.matey.testing';
import { createGatewayFromConfig } from '../create-gateway-from-config.ts';

export const credentials = { accessKeyId: 'AKIAGATEWAYTEST', secretAccessKey: 'gateway-test-secret-key' };
export const gatewayKey = 'gateway-key-bedrock';
export const haiku = 'anthropic.claude-3-5-haiku-20241022-v1:0';
export const sonnet = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
export const ask = [{ role: 'user' as const, content: 'How many r are in strawberry?' }];

/** Things to close after the tests, last opened first. */
export type Closables = Array<{ close(): Promise<void> }>;

/** The mock upstream speaking Bedrock, knowing `credentials`. */
export async function startBedrockUpstream(open: Closables): Promise<MockUpstream> {
  const upstream = await startMockUpstream(bedrockMockUpstream({ credentials: [credentials] }));
  open.push(upstream);
  return upstream;
}

/** A served gateway whose one provider is `type: bedrock` at the upstream, signing with this secret. */
export async function startBedrockGateway(
  upstream: MockUpstream,
  secretAccessKey: string,
  open: Closables,
): Promise<RunningGateway> {
  const built = await createGatewayFromConfig(
    {
      providers: {
        bedrock: {
          type: 'bedrock',
          region: 'us-east-1',
          baseURL: upstream.url,
          credentials: { ...credentials, secretAccessKey },
        },
      },
      keys: [{ id: 'me', key: gatewayKey }],
      middleware: { logging: false },
    },
    { env: {} },
  );
  open.push(built);
  const running = await serveGateway(built.gateway, { port: 0 });
  open.push(running);
  return running;
}

export interface RecordedReply {
  output: {
    message: {
      content: Array<{
        text?: string;
        reasoningContent?: { reasoningText: { text: string; signature: string } };
      }>;
    };
  };
}

export interface RecordedDelta {
  text?: string;
  reasoningContent?: { text?: string; signature?: string };
}

/** A recorded whole reply. */
export function recorded(name: string): RecordedReply {
  return readFixture('bedrock-converse', name).json as RecordedReply;
}

/** The `contentBlockDelta` deltas of a recorded stream, in order. */
export function recordedDeltas(name: string): RecordedDelta[] {
  return (readFixture('bedrock-converse', name).chunks ?? []).map(
    (line) =>
      (JSON.parse(line) as { contentBlockDelta?: { delta: RecordedDelta } }).contentBlockDelta?.delta ?? {},
  );
}
