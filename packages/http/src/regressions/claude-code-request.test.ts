/**
 * Claude Code 2.1, pointed at the gateway with a model it does not know, was refused with
 * `400 messages.1.role: Invalid option: expected one of "user"|"assistant"`. The fixture is the
 * request it sent, captured verbatim; the gateway must take it as it is.
 */
import { readFileSync } from 'node:fs';
import { anthropicMessages } from 'ai.matey.wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';

interface CapturedRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as CapturedRequest;
const captured = load('claude-code-2.1-system-role-in-messages');
const toolResultTurn = load('claude-code-2.1-tool-result-turn');

describe('regression: Claude Code 2.1 with a model it does not know', () => {
  it('decodes: the system message stays in place, adaptive thinking is a reasoning effort', () => {
    const { request, stream } = anthropicMessages.decodeCall(captured.body, {}, captured.headers);
    expect(stream).toBe(true);
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'user', 'system']);
    expect(request.reasoning).toEqual({ effort: 'high' });
    expect(request.tools?.map((tool) => tool.name)).toContain('Read');
    expect(request.providerOptions?.anthropic).toMatchObject({
      thinking: { type: 'adaptive', display: 'omitted' },
      context_management: expect.any(Object),
      betas: expect.arrayContaining(['claude-code-20250219', 'context-management-2025-06-27']),
    });
  });

  it('decodes the next turn: the tool call it was given and its result, tied by id', () => {
    const { request } = anthropicMessages.decodeCall(toolResultTurn.body, {}, toolResultTurn.headers);
    expect(request.messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'system',
      'assistant',
      'tool',
    ]);
    const call = request.messages[3]?.content;
    const result = request.messages[4]?.content;
    expect(call).toEqual([expect.objectContaining({ type: 'tool-call', toolName: 'Write' })]);
    expect(result).toEqual([
      expect.objectContaining({
        type: 'tool-result',
        toolName: 'Write',
        toolCallId: (Array.isArray(call) && call[0]?.type === 'tool-call' && call[0].toolCallId) || 'missing',
      }),
    ]);
  });

  describe('sent to the gateway at /v1/messages?beta=true', () => {
    let fleet: TestFleet;
    beforeAll(async () => {
      fleet = await startTestFleet();
    });
    afterAll(() => fleet.close());

    const post = (model: string) =>
      fetch(`${fleet.url}${captured.url}`, {
        method: 'POST',
        headers: { ...captured.headers, 'x-api-key': 'unused' },
        body: JSON.stringify({ ...captured.body, model }),
      });

    /** The text of an Anthropic SSE reply, its deltas joined. */
    const streamedText = async (res: Response) =>
      (await res.text())
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice(6)) as { delta?: { text?: string } })
        .map((event) => event.delta?.text ?? '')
        .join('');

    it('an OpenAI upstream answers it, given the system message in place, and the caller is warned of what was left out', async () => {
      fleet.upstreams.openai.setReply({ text: 'hello from gpt' });
      const res = await post('gpt-4o-mini');
      expect(res.status).toBe(200);
      expect(await streamedText(res)).toBe('hello from gpt');
      expect(res.headers.get('x-matey-warnings')).toContain('context_management');
      const sent = fleet.upstreams.openai.requests.at(-1);
      expect(
        (sent?.body as { messages: Array<{ role: string }> } | undefined)?.messages.map((m) => m.role),
      ).toEqual(['system', 'user', 'system']);
      // gpt-4o-mini does not reason: OpenAI would refuse reasoning_effort, so it is left out, with a warning.
      expect(sent?.body).not.toHaveProperty('reasoning_effort');
      expect(res.headers.get('x-matey-warnings')).toContain('gpt-4o-mini does not reason');
    });

    it('an Anthropic upstream gets the fields and the beta header as Claude Code sent them', async () => {
      fleet.upstreams.anthropic.setReply({ text: 'hello from claude' });
      const res = await post('claude-sonnet-4-5');
      expect(res.status).toBe(200);
      expect(await streamedText(res)).toBe('hello from claude');
      const sent = fleet.upstreams.anthropic.requests.at(-1);
      expect(sent?.headers['anthropic-beta']).toBe(captured.headers['anthropic-beta']);
      expect(sent?.body).toMatchObject({
        thinking: captured.body.thinking,
        output_config: captured.body.output_config,
        context_management: captured.body.context_management,
      });
    });
  });

  it('a gateway key with limits may send it: nothing Claude Code sends raises the cost or changes the route', async () => {
    await using limited = await startTestFleet({
      gateway: {
        keys: [
          {
            id: 'agent',
            key: 'mk-limited-agent-key-1',
            allowedModels: ['gpt-*', 'claude-*'],
            requestsPerMinute: 100,
          },
        ],
      },
    });
    limited.upstreams.openai.setReply({ text: 'ok' });
    const res = await fetch(`${limited.url}${captured.url}`, {
      method: 'POST',
      headers: { ...captured.headers, 'x-api-key': 'mk-limited-agent-key-1' },
      body: JSON.stringify({ ...captured.body, model: 'gpt-4o-mini' }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    await res.text();
  });
});
