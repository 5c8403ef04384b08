/**
 * Codex CLI itself, installed from npm (`agentCli`), run headless (`codex exec --json`) against
 * the gateway's Responses endpoint with a tool call in its loop: over the simulated fleet with
 * an OpenAI model and with models of other providers (Anthropic, DeepSeek), and over recorded
 * replies replayed by the mock upstream. Nothing leaves 127.0.0.1 (see `runCodex`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gatewayConfigSchema, type StartedGateway, startGateway } from 'ai.matey.gateway';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentCli } from './agent-cli.ts';
import { fleetGateway, quiet, RUN_MS, recordedGroqGateway, workDir } from './agent-test-gateway.ts';
import { type CodexEvent, runCodex } from './run-codex.ts';

const GATEWAY_KEY = 'mk-codex-e2e-9b2f';
const LIMITED_KEY = 'mk-codex-limited-e2e-41d0';

let codex: string;
beforeAll(() => {
  codex = agentCli('@openai/codex');
}, 600_000);

const KEYS = [
  { id: 'codex', key: GATEWAY_KEY },
  { id: 'codex-limited', key: LIMITED_KEY, allowedModels: ['gpt-*', 'claude-*'], requestsPerMinute: 100 },
];

/** The shell commands Codex ran, and its last message. */
function outcome(events: CodexEvent[]) {
  const items = events
    .filter((event) => event.type === 'item.completed')
    .map((event) => event.item as { type: string; command?: string; exit_code?: number; text?: string });
  return {
    failed: events.filter((event) => event.type === 'turn.failed' || event.type === 'error'),
    completed: events.some((event) => event.type === 'turn.completed'),
    commands: items.filter((item) => item.type === 'command_execution'),
    answer: items.filter((item) => item.type === 'agent_message').at(-1)?.text,
  };
}

describe('Codex CLI over the simulated fleet', () => {
  let gateway: StartedGateway;
  beforeAll(async () => {
    gateway = await fleetGateway(KEYS);
  });
  afterAll(() => gateway.shutdown());

  // The simulated fleet calls the tool the prompt names, with the JSON the prompt holds.
  it.each([
    ['an OpenAI model', 'gpt-4o-mini'],
    ['an Anthropic model', 'claude-haiku-4-5'],
    ['a DeepSeek reasoning model', 'deepseek-reasoner'],
  ])(
    'with %s (%s), runs a shell command through exec_command that writes a file',
    async (_kind, model) => {
      const cwd = await workDir('codex');
      const target = join(cwd, 'out.txt');
      const events = await runCodex({
        binary: codex,
        gatewayUrl: gateway.url,
        apiKey: GATEWAY_KEY,
        model,
        prompt: `Use exec_command with ${JSON.stringify({ cmd: `echo written by codex > ${target}` })}`,
        cwd,
      });
      const result = outcome(events);
      expect(result.failed, JSON.stringify(events)).toEqual([]);
      expect(result.completed).toBe(true);
      expect(result.commands).toEqual([expect.objectContaining({ exit_code: 0, status: 'completed' })]);
      expect((await readFile(target, 'utf8')).trim()).toBe('written by codex');
      expect(result.answer).toMatch(/^Done\. exec_command returned: /);
    },
    RUN_MS,
  );

  it(
    'reads a file with cat and answers from its output',
    async () => {
      const cwd = await workDir('codex');
      await writeFile(join(cwd, 'note.txt'), 'the treasure is under the third palm\n');
      const events = await runCodex({
        binary: codex,
        gatewayUrl: gateway.url,
        apiKey: GATEWAY_KEY,
        model: 'claude-haiku-4-5',
        prompt: `Use exec_command with ${JSON.stringify({ cmd: 'cat note.txt' })}`,
        cwd,
      });
      const result = outcome(events);
      expect(result.failed, JSON.stringify(events)).toEqual([]);
      expect(result.answer).toContain('the treasure is under the third palm');
    },
    RUN_MS,
  );

  it(
    'with a gateway key with limits, is refused OpenAI-billed web search (403), and works with it turned off',
    async () => {
      const cwd = await workDir('codex');
      const target = join(cwd, 'limited.txt');
      const prompt = `Use exec_command with ${JSON.stringify({ cmd: `echo limited > ${target}` })}`;
      const run = {
        binary: codex,
        gatewayUrl: gateway.url,
        apiKey: LIMITED_KEY,
        model: 'gpt-4o-mini',
        prompt,
        cwd,
      };
      const refused = await runCodex(run);
      expect(outcome(refused).completed).toBe(false);
      expect(JSON.stringify(refused)).toContain('403 Forbidden: This API key may not send');
      const events = await runCodex({ ...run, config: ['web_search = "disabled"'] });
      expect(outcome(events).failed, JSON.stringify(events)).toEqual([]);
      expect((await readFile(target, 'utf8')).trim()).toBe('limited');
    },
    RUN_MS,
  );

  it(
    'a gateway key it does not have is refused, and Codex reports the failed turn',
    async () => {
      const events = await runCodex({
        binary: codex,
        gatewayUrl: gateway.url,
        apiKey: 'mk-not-a-key',
        model: 'gpt-4o-mini',
        prompt: 'hello',
        cwd: await workDir('codex'),
      });
      expect(outcome(events).completed).toBe(false);
      expect(JSON.stringify(events.filter((event) => event.type === 'turn.failed'))).toMatch(/401|nauthori/);
    },
    RUN_MS,
  );
});

describe('Codex CLI over recorded replies (the mock upstream as Groq)', () => {
  let recorded: Awaited<ReturnType<typeof recordedGroqGateway>>;
  let upstream: MockUpstream;
  let gateway: StartedGateway;
  beforeAll(async () => {
    recorded = await recordedGroqGateway(KEYS, 'gsk_recorded_codex_1234');
    ({ upstream, gateway } = recorded);
  });
  afterAll(() => recorded.close());

  it(
    'answers the recorded tool call, sends its result back, and ends with the recorded answer',
    async () => {
      const events = await runCodex({
        binary: codex,
        gatewayUrl: gateway.url,
        apiKey: GATEWAY_KEY,
        model: 'llama-3.3-70b-versatile',
        prompt: 'What is the weather?',
        cwd: await workDir('codex'),
      });
      const result = outcome(events);
      expect(result.failed, JSON.stringify(events)).toEqual([]);
      const chats = upstream.requests.filter((request) => request.request !== undefined);
      expect(chats).toHaveLength(2);
      // Codex answered the recorded `weather` call (its id from the recording): it has no such tool.
      const answered = chats[1]?.request?.messages.find((message) => message.role === 'tool');
      expect(answered).toMatchObject({
        content: [expect.objectContaining({ toolCallId: 'tk85n1k4m', toolName: 'weather' })],
      });
      expect(result.answer).toMatch(/^Introducing "Luminaria" - a new holiday/);
    },
    RUN_MS,
  );
});

describe('Codex CLI over recorded replies (the mock upstream as OpenAI, Responses API)', () => {
  let upstream: MockUpstream;
  let gateway: StartedGateway;
  beforeAll(async () => {
    // A recorded `weather` call (a tool Codex does not have), then a recorded text answer.
    upstream = await startMockUpstream({
      apiKeys: ['sk-recorded-codex-5678'],
      reply: (request) =>
        request.messages.some((message) => message.role === 'tool')
          ? { fixture: 'openai-responses/azure-text.1' }
          : { fixture: 'openai-responses/azure-tool-call.1' },
    });
    const config = gatewayConfigSchema.parse({
      server: { port: 0 },
      keys: [{ id: 'codex', key: GATEWAY_KEY }],
      providers: {
        openai: {
          type: 'openai',
          apiKey: 'sk-recorded-codex-5678',
          baseURL: `${upstream.url}/v1`,
          protocol: 'openai-responses',
          models: ['gpt-5.1'],
        },
      },
    });
    gateway = await startGateway(config, { ...quiet, env: {} });
  });
  afterAll(async () => {
    await gateway.shutdown();
    await upstream.close();
  });

  it(
    'sends what only the Responses API takes as Codex sent it, answers the recorded call, ends with the recorded answer',
    async () => {
      const events = await runCodex({
        binary: codex,
        gatewayUrl: gateway.url,
        apiKey: GATEWAY_KEY,
        model: 'gpt-5.1',
        prompt: 'What is the weather?',
        cwd: await workDir('codex'),
      });
      const result = outcome(events);
      expect(result.failed, JSON.stringify(events)).toEqual([]);
      const bodies = upstream.requests.map((request) => request.body as Record<string, unknown>);
      expect(bodies).toHaveLength(2);
      // What only the Responses API takes reached it as Codex sent it.
      expect(bodies[0]).toMatchObject({
        store: false,
        include: ['reasoning.encrypted_content'],
        client_metadata: expect.any(Object),
        tools: expect.arrayContaining([expect.objectContaining({ type: 'web_search' })]),
      });
      // Codex answered the recorded `weather` call (its id from the recording) in the next request.
      expect(bodies[1]?.input).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'function_call', name: 'weather' }),
          expect.objectContaining({ type: 'function_call_output', call_id: 'call_H5DxLSFnsGhiROnUiDHmgyc8' }),
        ]),
      );
      // The streamed recordings: Codex always streams.
      expect(result.answer).toBe('Hello');
    },
    RUN_MS,
  );
});
