import type {
  AssistantMessage,
  FilePart,
  Message,
  ToolResultPart,
  UserMessage,
  Warning,
} from 'ai.matey.core';
import { sourceToUrl } from '../shared/data-url.ts';
import { isToolPlan } from './cohere-response.ts';

type CohereMessage = Record<string, unknown>;

/**
 * Spec messages as Cohere v2 `messages`, and the text files of user turns as top-level
 * `documents` (what Cohere grounds citations in). One `tool` message per tool result.
 */
export function encodeCohereMessages(
  messages: readonly Message[],
  warnings: Warning[],
): { messages: CohereMessage[]; documents: Record<string, unknown>[] } {
  const out: CohereMessage[] = [];
  const documents: Record<string, unknown>[] = [];
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: textOf(message.content) });
        return;
      case 'user':
        out.push(encodeUser(message, index, documents, warnings));
        return;
      case 'assistant':
        out.push(encodeAssistant(message));
        return;
      case 'tool':
        for (const result of message.content) out.push(encodeToolResult(result, index, warnings));
        return;
    }
  });
  return { messages: out, documents };
}

function textOf(content: string | Array<{ text: string }>): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

function encodeUser(
  message: UserMessage,
  index: number,
  documents: Record<string, unknown>[],
  warnings: Warning[],
): CohereMessage {
  if (message.name !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: `messages[${index}].name`,
      message: 'Cohere has no participant names; the name was not sent.',
    });
  }
  if (typeof message.content === 'string') return { role: 'user', content: message.content };
  const content: Record<string, unknown>[] = [];
  message.content.forEach((part, partIndex) => {
    if (part.type === 'text') content.push({ type: 'text', text: part.text });
    else if (part.type === 'image')
      content.push({ type: 'image_url', image_url: { url: sourceToUrl(part.source) } });
    else {
      const document = documentOf(part);
      if (document) documents.push(document);
      else
        warnings.push({
          type: 'unsupported-content',
          setting: `messages[${index}].content[${partIndex}]`,
          message: `Cohere takes files as text documents only (inline text/* or JSON); ${part.filename ?? 'a file'} was not sent.`,
        });
    }
  });
  return { role: 'user', content };
}

/** An inline text file as a Cohere document (`{ data: { text, title? } }`). */
function documentOf(part: FilePart): Record<string, unknown> | undefined {
  const { source } = part;
  if (source.kind !== 'base64') return undefined;
  if (!source.mediaType.startsWith('text/') && source.mediaType !== 'application/json') return undefined;
  const text = new TextDecoder().decode(Uint8Array.from(atob(source.data), (char) => char.charCodeAt(0)));
  return { data: { text, ...(part.filename !== undefined ? { title: part.filename } : {}) } };
}

function encodeAssistant(message: AssistantMessage): CohereMessage {
  if (typeof message.content === 'string') return { role: 'assistant', content: message.content };
  const content: Record<string, unknown>[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  let plan = '';
  for (const part of message.content) {
    if (part.type === 'text' && isToolPlan(part)) plan += part.text;
    else if (part.type === 'text') content.push({ type: 'text', text: part.text });
    else if (part.type === 'reasoning') content.push({ type: 'thinking', thinking: part.text });
    else
      toolCalls.push({
        id: part.toolCallId,
        type: 'function',
        function: { name: part.toolName, arguments: part.arguments },
      });
  }
  const encoded: CohereMessage = { role: 'assistant' };
  if (toolCalls.length > 0) {
    // Beside tool calls Cohere takes the text that explains them as the plan.
    const text = content.flatMap((item) => (item.type === 'text' ? [item.text as string] : [])).join('');
    const thinking = content.filter((item) => item.type === 'thinking');
    if (plan + text !== '') encoded.tool_plan = plan + text;
    if (thinking.length > 0) encoded.content = thinking;
    encoded.tool_calls = toolCalls;
  } else {
    if (plan !== '') content.unshift({ type: 'text', text: plan });
    encoded.content = content;
  }
  return encoded;
}

function encodeToolResult(result: ToolResultPart, index: number, warnings: Warning[]): CohereMessage {
  if (result.isError) {
    warnings.push({
      type: 'unsupported-setting',
      setting: `messages[${index}].content`,
      message: `Cohere tool messages cannot mark a result as an error; the result of ${result.toolCallId} was sent as an ordinary result.`,
    });
  }
  let content: string | Record<string, unknown>[];
  if (typeof result.content === 'string') content = result.content;
  else {
    content = [];
    for (const part of result.content) {
      if (part.type === 'text') content.push({ type: 'text', text: part.text });
      else
        warnings.push({
          type: 'unsupported-content',
          setting: `messages[${index}].content`,
          message: `Cohere tool messages take text only; an image in the result of ${result.toolCallId} was not sent.`,
        });
    }
  }
  return { role: 'tool', tool_call_id: result.toolCallId, content };
}
