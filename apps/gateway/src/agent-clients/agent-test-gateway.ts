/**
 * Test support for the agent-client end-to-end tests (Claude Code, Codex CLI): a gateway on an
 * ephemeral port with the suite's keys, over the simulated fleet or over recorded Groq replies.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type GatewayConfigInput,
  gatewayConfigSchema,
  type StartedGateway,
  startGateway,
} from 'ai.matey.gateway';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';

/** How long one agent run may take: a cold start takes seconds, a first install a minute. */
export const RUN_MS = 120_000;

/** The gateway keys of a suite, as the config file gives them. */
type Keys = NonNullable<GatewayConfigInput['keys']>;

/** Gateway start options for tests: no simulated latency or failures, nothing printed. */
export const quiet = { fleetTimeScale: 0, fleetFailureRate: 0, logDestination: { write() {} }, warn() {} };

/** A fresh working folder for one agent run. */
export function workDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `matey-${prefix}-work-`));
}

/** A gateway over the simulated fleet (no provider key), with these keys. */
export function fleetGateway(keys: Keys): Promise<StartedGateway> {
  return startGateway(gatewayConfigSchema.parse({ server: { port: 0 }, keys }), { ...quiet, env: {} });
}

/**
 * A gateway whose only provider is the mock upstream as Groq, replaying a recorded tool call
 * (Groq calling `weather`, a tool the agent does not have) and, once a tool result comes back,
 * a recorded text answer.
 */
export async function recordedGroqGateway(
  keys: Keys,
  upstreamKey: string,
): Promise<{ upstream: MockUpstream; gateway: StartedGateway; close(): Promise<void> }> {
  const upstream = await startMockUpstream({
    apiKeys: [upstreamKey],
    reply: (request) =>
      request.messages.some((message) => message.role === 'tool')
        ? { fixture: 'openai-chat/groq-text' }
        : { fixture: 'openai-chat/groq-tool-call' },
  });
  const gateway = await startGateway(gatewayConfigSchema.parse({ server: { port: 0 }, keys }), {
    ...quiet,
    env: { GROQ_API_KEY: upstreamKey, GROQ_BASE_URL: `${upstream.url}/openai/v1` },
  });
  return {
    upstream,
    gateway,
    close: async () => {
      await gateway.shutdown();
      await upstream.close();
    },
  };
}
