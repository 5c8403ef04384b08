import { describe, expect, it } from 'vitest';
import { anthropicMessages } from './index.ts';

/** The smallest body the tool tests build on. */
const agentBody = {
  model: 'gpt-4o-mini',
  max_tokens: 32_000,
  messages: [{ role: 'user', content: 'hi' }],
};

describe('anthropic-messages: the tools agent clients send', () => {
  it('keeps per-tool fields and Anthropic-defined tools for an Anthropic upstream, in place', () => {
    const tools = [
      { name: 'Read', description: 'Reads', input_schema: { type: 'object' } },
      {
        name: 'Later',
        input_schema: { type: 'object' },
        defer_loading: true,
        cache_control: { type: 'ephemeral' },
      },
      { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
      { type: 'mcp_toolset', mcp_server_name: 'docs' },
    ];
    const request = anthropicMessages.decodeRequest({ ...agentBody, tools });
    expect(request.tools).toEqual([
      { name: 'Read', description: 'Reads', inputSchema: { type: 'object' } },
      { name: 'Later', inputSchema: { type: 'object' } },
    ]);
    const { body } = anthropicMessages.encodeRequest(request, {
      model: 'claude-sonnet-4-5',
      stream: false,
      provider: 'anthropic',
    });
    expect(body.tools).toEqual([
      { name: 'Read', description: 'Reads', input_schema: { type: 'object' } },
      {
        name: 'Later',
        input_schema: { type: 'object' },
        defer_loading: true,
        cache_control: { type: 'ephemeral' },
      },
      { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
      { type: 'mcp_toolset', mcp_server_name: 'docs' },
    ]);
    expect(body).not.toHaveProperty('tool_fields');
    expect(body).not.toHaveProperty('anthropic_defined_tools');
  });

  it('still refuses a custom tool without an input schema, naming the field', () => {
    expect(() => anthropicMessages.decodeRequest({ ...agentBody, tools: [{ name: 'x' }] })).toThrow(
      /tools\.0/,
    );
  });

  it('keeps tool result content the spec has no part for (tool search references) for Anthropic', () => {
    const body = {
      ...agentBody,
      messages: [
        { role: 'user', content: 'find a tool' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'ToolSearch', input: { query: 'x' } }],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: 'Found one.' },
                { type: 'tool_reference', tool_name: 'mcp__docs__search' },
              ],
            },
          ],
        },
      ],
    };
    const request = anthropicMessages.decodeRequest(body);
    expect(request.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: [{ toolName: 'ToolSearch', content: [{ type: 'text', text: 'Found one.' }] }],
    });
    const { body: sent } = anthropicMessages.encodeRequest(request, {
      model: 'claude-sonnet-4-5',
      stream: false,
      provider: 'anthropic',
    });
    expect((sent.messages as Array<{ content: unknown }>).at(-1)?.content).toEqual(body.messages[2]?.content);
  });

  it('applies tool additions and removals from system messages to the one tool list', () => {
    const schema = { type: 'object' };
    const request = anthropicMessages.decodeRequest({
      ...agentBody,
      tools: [
        { name: 'Read', input_schema: schema },
        { name: 'Deferred', input_schema: schema, defer_loading: true },
        { name: 'Gone', input_schema: schema },
      ],
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Tools changed.' },
            { type: 'tool_addition', tool: { type: 'tool_reference', name: 'Deferred' } },
            { type: 'tool_removal', tool: { type: 'tool_reference', name: 'Gone' } },
            {
              type: 'tool_addition',
              tool: { type: 'tool_definition', definition: { name: 'Fresh', input_schema: schema } },
            },
          ],
        },
      ],
    });
    expect(request.messages.at(-1)).toEqual({
      role: 'system',
      content: [{ type: 'text', text: 'Tools changed.' }],
    });
    expect(request.tools?.map((tool) => tool.name)).toEqual(['Read', 'Deferred', 'Fresh']);
    // Loaded: Anthropic gets the deferred tool without defer_loading.
    expect(request.providerOptions?.anthropic?.tool_fields).toBeUndefined();
    expect(() =>
      anthropicMessages.decodeRequest({
        ...agentBody,
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'system',
            content: [{ type: 'tool_addition', tool: { type: 'tool_definition', definition: {} } }],
          },
        ],
      }),
    ).toThrow(/messages\.1\.content\.0/);
  });

  it('carries server tool blocks in assistant history back to Anthropic in place, and out of other requests', async () => {
    const searched = [
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'tides' } },
      {
        type: 'web_search_tool_result',
        tool_use_id: 'srvtoolu_1',
        content: [{ type: 'web_search_result', url: 'https://x', title: 't', encrypted_content: 'e' }],
      },
      { type: 'text', text: 'High tide at noon.' },
      { type: 'compaction', content: 'summary' },
    ];
    const body = {
      ...agentBody,
      messages: [
        { role: 'user', content: 'tides?' },
        { role: 'assistant', content: searched },
        { role: 'user', content: 'thanks' },
      ],
    };
    const request = anthropicMessages.decodeRequest(body);
    expect(request.messages[1]).toMatchObject({
      role: 'assistant',
      content: [{ type: 'text', text: 'High tide at noon.' }],
    });
    const { body: sent } = anthropicMessages.encodeRequest(request, {
      model: 'claude-sonnet-4-5',
      stream: false,
      provider: 'anthropic',
    });
    expect((sent.messages as Array<{ content: unknown }>)[1]?.content).toEqual(searched);
    const { openaiChat } = await import('../openai-chat/index.ts');
    const openai = openaiChat.encodeRequest(request, {
      model: 'gpt-4o',
      stream: false,
      provider: 'openai',
    }).body;
    expect(JSON.stringify(openai)).not.toContain('srvtoolu_1');
    // A user turn still may not hold them, and says which.
    expect(() =>
      anthropicMessages.decodeRequest({ ...agentBody, messages: [{ role: 'user', content: [searched[0]] }] }),
    ).toThrow(/messages\.0\.content\.0\.type: a user message cannot hold a server_tool_use block/);
  });
});
