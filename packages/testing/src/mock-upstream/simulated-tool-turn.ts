import type { ChatRequest, Message, ToolDefinition } from 'ai.matey.core';
import type { ScriptedContent } from '../scripted-response.ts';
import { schemaExample } from './schema-example.ts';

/**
 * What a simulated model does with a request that offers tools, so an agent loop runs with no
 * keys, the same way every time. Since its last answer the conversation brought:
 * - a user message: it calls one offered tool: the one `toolChoice` names, else the first whose
 *   name the user's last words mention (`Use Write to …`), else the first offered. Its arguments
 *   are the last JSON object the user wrote when there is one, otherwise a value valid against
 *   the tool's input schema (`schemaExample`);
 * - tool results: it answers in text, quoting them, and calls nothing.
 * Without tools (or with `toolChoice: 'none'`) it returns undefined: the usual text answer.
 *
 * @example
 * simulatedToolTurn({ messages: [{ role: 'user', content: 'Use Read on {"file_path":"/tmp/a"}' }], tools });
 * // { toolCalls: [{ name: 'Read', arguments: { file_path: '/tmp/a' } }] }
 */
export function simulatedToolTurn(request: ChatRequest): ScriptedContent | undefined {
  const tools = request.tools ?? [];
  if (tools.length === 0 || request.toolChoice === 'none') return undefined;
  const lastAnswer = request.messages.findLastIndex((message) => message.role === 'assistant');
  const since = request.messages.slice(lastAnswer + 1);
  const results = since.filter((message) => message.role === 'tool');
  if (results.length > 0) return { text: describeResults(results, request.messages) };
  const words = userTexts(since).reverse();
  const tool = chooseTool(tools, request, words);
  const written = words.map(lastJsonObject).find((value) => value !== undefined);
  return { toolCalls: [{ name: tool.name, arguments: written ?? schemaExample(tool.inputSchema) }] };
}

/** The text parts of the user messages, in order. */
function userTexts(messages: Message[]): string[] {
  return messages.flatMap((message) => {
    if (message.role !== 'user') return [];
    if (typeof message.content === 'string') return [message.content];
    return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
  });
}

function chooseTool(tools: ToolDefinition[], request: ChatRequest, latestFirst: string[]): ToolDefinition {
  const first = tools[0] as ToolDefinition;
  const choice = request.toolChoice;
  if (typeof choice === 'object') return tools.find((tool) => tool.name === choice.name) ?? first;
  for (const text of latestFirst) {
    let best: { tool: ToolDefinition; at: number } | undefined;
    for (const tool of tools) {
      const at = text.search(new RegExp(`(?<![\\w-])${escapeRegExp(tool.name)}(?![\\w-])`));
      if (at >= 0 && (!best || at < best.at)) best = { tool, at };
    }
    if (best) return best.tool;
  }
  return first;
}

/** The last `{…}` in a text that parses as a JSON object (texts past 8 KiB are not searched: they are not a prompt). */
function lastJsonObject(text: string): Record<string, unknown> | undefined {
  if (text.length > 8192) return undefined;
  for (let start = text.lastIndexOf('{'); start >= 0; start = text.lastIndexOf('{', start - 1)) {
    for (let end = text.indexOf('}', start); end >= 0; end = text.indexOf('}', end + 1)) {
      try {
        const value: unknown = JSON.parse(text.slice(start, end + 1));
        if (typeof value === 'object' && value !== null && !Array.isArray(value))
          return value as Record<string, unknown>;
      } catch {
        // Not yet a whole object: try the next closing brace.
      }
    }
    if (start === 0) break;
  }
  return undefined;
}

function describeResults(results: Message[], messages: Message[]): string {
  const names = new Map<string, string>();
  for (const message of messages)
    if (message.role === 'assistant' && Array.isArray(message.content))
      for (const part of message.content)
        if (part.type === 'tool-call') names.set(part.toolCallId, part.toolName);
  const said = results.flatMap((message) =>
    message.role !== 'tool'
      ? []
      : message.content.map((result) => {
          const name = result.toolName ?? names.get(result.toolCallId) ?? 'tool';
          const text =
            typeof result.content === 'string'
              ? result.content
              : result.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join(' ');
          const quoted = text.length > 500 ? `${text.slice(0, 500)}…` : text;
          return `${name}${result.isError ? ' failed' : ' returned'}: ${quoted}`;
        }),
  );
  return `Done. ${said.join('\n')}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
