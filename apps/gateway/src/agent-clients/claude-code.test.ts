/**
 * Claude Code itself, installed from npm (`agentCli`), run headless against the gateway with a
 * tool call in its loop: over the simulated fleet with a model it does not know (an OpenAI
 * model) and with a Claude model, and over recorded replies replayed by the mock upstream.
 * Nothing leaves 127.0.0.1 (see `runClaudeCode`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StartedGateway } from 'ai.matey.gateway';
import type { MockUpstream } from 'ai.matey.testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentCli } from './agent-cli.ts';
import { fleetGateway, RUN_MS, recordedGroqGateway, workDir } from './agent-test-gateway.ts';
import { runClaudeCode } from './run-claude-code.ts';

const GATEWAY_KEY = 'mk-claude-code-e2e-5c1d';

let claude: string;
beforeAll(() => {
  claude = agentCli('@anthropic-ai/claude-code');
}, 600_000);

const KEYS = [{ id: 'claude-code', key: GATEWAY_KEY }];

describe('Claude Code over the simulated fleet', () => {
  let gateway: StartedGateway;
  beforeAll(async () => {
    gateway = await fleetGateway(KEYS);
  });
  afterAll(() => gateway.shutdown());

  it(
    'with a model it does not know (gpt-4o-mini), writes a file through its Write tool',
    async () => {
      const cwd = await workDir('claude');
      const target = join(cwd, 'out.txt');
      const result = await runClaudeCode({
        binary: claude,
        gatewayUrl: gateway.url,
        apiKey: GATEWAY_KEY,
        model: 'gpt-4o-mini',
        prompt: `Use Write with ${JSON.stringify({ file_path: target, content: 'written through the gateway' })}`,
        cwd,
        allowedTools: ['Write'],
      });
      expect(result, JSON.stringify(result)).toMatchObject({ is_error: false, subtype: 'success' });
      expect(await readFile(target, 'utf8')).toBe('written through the gateway');
      expect(result.result).toMatch(/^Done\. Write returned: /);
      expect(result.num_turns).toBeGreaterThanOrEqual(2);
    },
    RUN_MS,
  );

  it(
    'with a Claude model (claude-haiku-4-5), reads a file through its Read tool and answers from it',
    async () => {
      const cwd = await workDir('claude');
      const note = join(cwd, 'note.txt');
      await writeFile(note, 'the treasure is under the third palm\n');
      const result = await runClaudeCode({
        binary: claude,
        gatewayUrl: gateway.url,
        apiKey: GATEWAY_KEY,
        model: 'claude-haiku-4-5',
        prompt: `Use Read with ${JSON.stringify({ file_path: note })}`,
        cwd,
        allowedTools: ['Read'],
      });
      expect(result, JSON.stringify(result)).toMatchObject({ is_error: false, subtype: 'success' });
      expect(result.result).toContain('Done. Read returned:');
      expect(result.result).toContain('the treasure is under the third palm');
    },
    RUN_MS,
  );
  it(
    'with a reasoning model (deepseek-reasoner), carries the loop across its thinking replies',
    async () => {
      const cwd = await workDir('claude');
      const note = join(cwd, 'plan.md');
      await writeFile(note, 'step one: hoist the sails\n');
      const result = await runClaudeCode({
        binary: claude,
        gatewayUrl: gateway.url,
        apiKey: GATEWAY_KEY,
        model: 'deepseek-reasoner',
        prompt: `Use Read with ${JSON.stringify({ file_path: note })}`,
        cwd,
        allowedTools: ['Read'],
      });
      expect(result, JSON.stringify(result)).toMatchObject({ is_error: false, subtype: 'success' });
      expect(result.result).toContain('step one: hoist the sails');
    },
    RUN_MS,
  );
});

describe('Claude Code over recorded replies (the mock upstream as Groq)', () => {
  let recorded: Awaited<ReturnType<typeof recordedGroqGateway>>;
  let upstream: MockUpstream;
  let gateway: StartedGateway;
  beforeAll(async () => {
    recorded = await recordedGroqGateway(KEYS, 'gsk_recorded_e2e_1234');
    ({ upstream, gateway } = recorded);
  });
  afterAll(() => recorded.close());

  it(
    'runs the recorded tool call, sends its result back, and ends with the recorded answer',
    async () => {
      const result = await runClaudeCode({
        binary: claude,
        gatewayUrl: gateway.url,
        apiKey: GATEWAY_KEY,
        model: 'llama-3.3-70b-versatile',
        prompt: 'What is the weather?',
        cwd: await workDir('claude'),
        allowedTools: ['Read'],
      });
      expect(result, JSON.stringify(result)).toMatchObject({ is_error: false, subtype: 'success' });
      const chats = upstream.requests.filter((request) => request.request !== undefined);
      const answered = chats.find((request) => request.request?.messages.some((m) => m.role === 'tool'));
      // Claude Code answered the recorded `weather` call (its id from the recording): it has no such tool.
      expect(answered?.request?.messages.find((m) => m.role === 'tool')).toMatchObject({
        content: [
          expect.objectContaining({
            toolCallId: 'tk85n1k4m',
            toolName: 'weather',
            content: expect.stringContaining('No such tool available: weather'),
          }),
        ],
      });
      expect(result.result).toMatch(/^Introducing "Luminaria" - a new holiday/);
      expect(result.num_turns).toBe(2);
    },
    RUN_MS,
  );
});
