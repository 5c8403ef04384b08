/**
 * Codex CLI 0.171 (`codex exec`) sends a Responses body with developer messages, `namespace`
 * and `web_search` tools, `include: ["reasoning.encrypted_content"]`, `store: false` and
 * `client_metadata`. The fixture is its first request, captured verbatim; the gateway must take
 * it as it is, toward a Responses upstream and toward any other.
 */
import { readFileSync } from 'node:fs';
import { openaiResponses } from 'ai.matey.wire';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ProtocolFleet, startProtocolFleet } from '../responses-test-fleet.ts';

interface CapturedRequest {
  url: string;
  headers: Record<string, string>;
  body: { tools: Array<{ type: string; name?: string }> } & Record<string, unknown>;
}

const captured = JSON.parse(
  readFileSync(new URL('./codex-0.171-responses-first-request.json', import.meta.url), 'utf8'),
) as CapturedRequest;

describe('regression: Codex CLI 0.171 first request', () => {
  it('decodes: developer messages are system messages, function tools are tools, the rest rides along', () => {
    const { request, stream } = openaiResponses.decodeCall(captured.body, {}, captured.headers);
    expect(stream).toBe(true);
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'system', 'user', 'user']);
    expect(request.tools?.map((tool) => tool.name)).toContain('exec_command');
    expect(request.toolChoice).toBe('auto');
    expect(request.parallelToolCalls).toBe(true);
    expect(request.metadata).toMatchObject({ storeResponse: false });
    const extra = request.providerOptions?.['openai-responses'] as Record<string, unknown>;
    expect(extra).toMatchObject({
      include: ['reasoning.encrypted_content'],
      reasoning: { summary: 'auto' },
      client_metadata: captured.body.client_metadata,
      prompt_cache_key: captured.body.prompt_cache_key,
    });
    expect((extra.tools as Array<{ type: string }>).map((tool) => tool.type)).toEqual([
      'namespace',
      'web_search',
    ]);
  });

  describe('sent to the gateway at /v1/responses', () => {
    let fleet: ProtocolFleet;
    beforeAll(async () => {
      fleet = await startProtocolFleet();
    });
    afterAll(() => fleet.close());
    beforeEach(() => {
      for (const upstream of Object.values(fleet.upstreams)) upstream.reset();
    });

    const post = (model: string) =>
      fetch(`${fleet.url}${captured.url}`, {
        method: 'POST',
        headers: { ...captured.headers, authorization: 'Bearer unused' },
        body: JSON.stringify({ ...captured.body, model }),
      });

    /** The text of a Responses SSE reply, its deltas joined. */
    const streamedText = async (res: Response) =>
      (await res.text())
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice(6)) as { type: string; delta?: string })
        .filter((event) => event.type === 'response.output_text.delta')
        .map((event) => event.delta ?? '')
        .join('');

    it('a Responses upstream gets every field as Codex sent it', async () => {
      fleet.upstreams['openai-responses'].enqueue({ text: 'hello from responses' });
      const res = await post('responses/gpt-5-codex');
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await streamedText(res)).toBe('hello from responses');
      const sent = fleet.upstreams['openai-responses'].requests.at(-1)?.body as Record<string, unknown>;
      expect(sent).toMatchObject({
        include: captured.body.include,
        client_metadata: captured.body.client_metadata,
        prompt_cache_key: captured.body.prompt_cache_key,
        reasoning: captured.body.reasoning,
        store: false,
      });
      // Every tool, unchanged (the function tools ahead of the others).
      expect(sent.tools).toHaveLength(captured.body.tools.length);
      expect(sent.tools).toEqual(expect.arrayContaining(captured.body.tools));
    });

    it.each([
      ['openai-chat', 'openai/gpt-4o-mini'],
      ['anthropic-messages', 'anthropic/claude-sonnet-4-5'],
      ['gemini', 'gemini/gemini-2.5-flash'],
    ] as const)(
      'a %s upstream answers it, with the function tools, warned of the rest',
      async (lane, model) => {
        fleet.upstreams[lane].enqueue({ text: `hello from ${lane}` });
        const res = await post(model);
        expect(res.status, await res.clone().text()).toBe(200);
        expect(await streamedText(res)).toBe(`hello from ${lane}`);
        const warnings = res.headers.get('x-matey-warnings') ?? '';
        expect(warnings).toContain("'web_search'");
        expect(warnings).toContain("'multi_agent_v1'");
        expect(JSON.stringify(fleet.upstreams[lane].requests.at(-1)?.body)).toContain('exec_command');
        expect(JSON.stringify(fleet.upstreams[lane].requests.at(-1)?.body)).not.toContain('client_metadata');
      },
    );
  });

  it('a gateway key with limits may send it once web search is off: namespaces are tools the caller runs', async () => {
    await using limited = await startProtocolFleet({
      keys: [
        {
          id: 'agent',
          key: 'mk-limited-codex-key-1',
          allowedModels: ['responses/*'],
          requestsPerMinute: 100,
        },
      ],
    });
    const post = (tools: unknown[]) =>
      fetch(`${limited.url}${captured.url}`, {
        method: 'POST',
        headers: { ...captured.headers, authorization: 'Bearer mk-limited-codex-key-1' },
        body: JSON.stringify({ ...captured.body, model: 'responses/gpt-5-codex', tools }),
      });
    const refused = await post(captured.body.tools);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("may not send 'tools'");
    limited.upstreams['openai-responses'].enqueue({ text: 'ok' });
    const res = await post(captured.body.tools.filter((tool) => tool.type !== 'web_search'));
    expect(res.status, await res.clone().text()).toBe(200);
    await res.text();
  });
});
