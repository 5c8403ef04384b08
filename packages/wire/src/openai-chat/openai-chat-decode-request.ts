import {
  type AssistantContentPart,
  type ChatRequest,
  type DataSource,
  InvalidRequestError,
  type Message,
  type ResponseFormat,
  type TextPart,
  type ToolResultPart,
  type UserContentPart,
} from 'ai.matey.core';
import { sourceFromUrl } from '../shared/data-url.ts';
import { requireJsonObject } from '../shared/json-object-body.ts';
import { invalidOpenAIChatRequest } from './openai-chat-invalid-request.ts';
import {
  type OpenAIChatRequestBody,
  type OpenAIChatRequestMessage,
  openAIChatRequestSchema,
} from './openai-chat-request-schema.ts';

/** Fields read into the spec request (or left to the HTTP layer); the rest go to `providerOptions.openai`. */
const MAPPED_FIELDS = new Set([
  'model',
  'messages',
  'tools',
  'parallel_tool_calls',
  'response_format',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'frequency_penalty',
  'presence_penalty',
  'seed',
  'stop',
  'user',
  'stream',
  'stream_options',
]);

const EFFORTS = new Set(['minimal', 'low', 'medium', 'high']);

/**
 * Parses a Chat Completions body as an OpenAI SDK client sends it. Wrong types throw
 * `InvalidRequestError` with `param` naming the field (`messages[2].content`); OpenAI fields with
 * no spec equivalent (`n`, `logprobs`, `store`, `metadata`, …) are kept in `providerOptions.openai`
 * so an OpenAI-to-OpenAI call sends them on unchanged.
 */
export function decodeOpenAIChatRequest(body: unknown): ChatRequest {
  requireJsonObject(body);
  const parsed = openAIChatRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidOpenAIChatRequest(parsed.error.issues);
  const input = parsed.data;

  const request: ChatRequest = { messages: decodeMessages(input.messages) };
  if (input.model !== undefined) request.model = input.model;
  if (input.tools && input.tools.length > 0) {
    request.tools = input.tools.map((tool) => ({
      name: tool.function.name,
      ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
      inputSchema: tool.function.parameters ?? { type: 'object', properties: {} },
      ...(typeof tool.function.strict === 'boolean' ? { strict: tool.function.strict } : {}),
    }));
  }
  const passthrough: Record<string, unknown> = {};
  const choice = input.tool_choice;
  if (choice !== undefined) {
    if (typeof choice === 'string') request.toolChoice = choice;
    else if (choice.type === 'function' && isNamedFunction(choice.function))
      request.toolChoice = { type: 'tool', name: choice.function.name };
    else passthrough.tool_choice = choice;
  }
  if (input.parallel_tool_calls !== undefined) request.parallelToolCalls = input.parallel_tool_calls;
  if (input.response_format !== undefined)
    request.responseFormat = decodeResponseFormat(input.response_format);
  const maxTokens = input.max_completion_tokens ?? input.max_tokens;
  if (maxTokens != null) request.maxOutputTokens = maxTokens;
  if (input.temperature != null) request.temperature = input.temperature;
  if (input.top_p != null) request.topP = input.top_p;
  if (input.frequency_penalty != null) request.frequencyPenalty = input.frequency_penalty;
  if (input.presence_penalty != null) request.presencePenalty = input.presence_penalty;
  if (input.seed != null) request.seed = input.seed;
  if (input.stop != null) request.stopSequences = typeof input.stop === 'string' ? [input.stop] : input.stop;
  if (input.user !== undefined) request.user = input.user;
  if (input.reasoning_effort != null) {
    if (EFFORTS.has(input.reasoning_effort))
      request.reasoning = { effort: input.reasoning_effort as 'minimal' | 'low' | 'medium' | 'high' };
    else passthrough.reasoning_effort = input.reasoning_effort;
  }
  for (const [key, value] of Object.entries(body)) {
    if (!MAPPED_FIELDS.has(key) && key !== 'tool_choice' && key !== 'reasoning_effort')
      passthrough[key] = value;
  }
  if (Object.keys(passthrough).length > 0) request.providerOptions = { openai: passthrough };
  return request;
}

function isNamedFunction(value: unknown): value is { name: string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string'
  );
}

function decodeResponseFormat(format: NonNullable<OpenAIChatRequestBody['response_format']>): ResponseFormat {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  const schema = format.json_schema;
  return {
    type: 'json-schema',
    schema: schema.schema ?? {},
    name: schema.name,
    ...(schema.description !== undefined ? { description: schema.description } : {}),
    ...(typeof schema.strict === 'boolean' ? { strict: schema.strict } : {}),
  };
}

function decodeMessages(messages: OpenAIChatRequestMessage[]): Message[] {
  const out: Message[] = [];
  // Tool messages name only the call id; the name comes from the assistant turn that made the call.
  const toolNames = new Map<string, string>();
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        out.push({ role: 'system', content: textContent(message.content) });
        return;
      case 'user':
        out.push({
          role: 'user',
          content:
            typeof message.content === 'string'
              ? message.content
              : message.content.map((part, partIndex) => decodeUserPart(part, index, partIndex)),
          ...(message.name !== undefined ? { name: message.name } : {}),
        });
        return;
      case 'assistant':
        for (const call of message.tool_calls ?? []) toolNames.set(call.id, call.function.name);
        out.push(decodeAssistantMessage(message));
        return;
      case 'tool': {
        const result: ToolResultPart = {
          type: 'tool-result',
          toolCallId: message.tool_call_id,
          content: textContent(message.content),
        };
        const toolName = toolNames.get(message.tool_call_id);
        if (toolName !== undefined) result.toolName = toolName;
        const previous = out.at(-1);
        // Consecutive OpenAI tool messages are one turn of results in the spec.
        if (previous?.role === 'tool') previous.content.push(result);
        else out.push({ role: 'tool', content: [result] });
        return;
      }
    }
  });
  return out;
}

function textContent(content: string | Array<{ text: string }>): string | TextPart[] {
  return typeof content === 'string' ? content : content.map((part) => ({ type: 'text', text: part.text }));
}

type UserPartInput = Exclude<Extract<OpenAIChatRequestMessage, { role: 'user' }>['content'], string>[number];

function decodeUserPart(part: UserPartInput, index: number, partIndex: number): UserContentPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image_url':
      return {
        type: 'image',
        source: sourceFromUrl(part.image_url.url),
        ...(part.image_url.detail !== undefined ? { detail: part.image_url.detail } : {}),
      };
    case 'input_audio':
      return {
        type: 'file',
        source: {
          kind: 'base64',
          data: part.input_audio.data,
          mediaType: part.input_audio.format === 'wav' ? 'audio/wav' : 'audio/mpeg',
        },
      };
    case 'file': {
      const filename = part.file.filename !== undefined ? { filename: part.file.filename } : {};
      if (part.file.file_id !== undefined) {
        return {
          type: 'file',
          source: { kind: 'url', url: part.file.file_id },
          ...filename,
          providerMetadata: { openai: { fileId: part.file.file_id } },
        };
      }
      if (part.file.file_data !== undefined)
        return { type: 'file', source: fileSource(part.file.file_data, part.file.filename), ...filename };
      throw new InvalidRequestError({
        message: 'A file part needs file_data or file_id.',
        param: `messages[${index}].content[${partIndex}].file`,
        code: 'invalid_value',
      });
    }
  }
}

/** `file_data` is a data URL from the SDKs, but bare base64 is common too. */
function fileSource(data: string, filename: string | undefined): DataSource {
  if (data.startsWith('data:')) return sourceFromUrl(data);
  const mediaType =
    filename === undefined || filename.toLowerCase().endsWith('.pdf')
      ? 'application/pdf'
      : 'application/octet-stream';
  return { kind: 'base64', data, mediaType };
}

function decodeAssistantMessage(message: Extract<OpenAIChatRequestMessage, { role: 'assistant' }>): Message {
  const name = message.name !== undefined ? { name: message.name } : {};
  const reasoning = message.reasoning_content ?? message.reasoning;
  const toolCalls = message.tool_calls ?? [];
  const refusal = message.refusal ?? undefined;
  const content = message.content ?? '';
  if (!reasoning && toolCalls.length === 0 && !refusal) {
    return {
      role: 'assistant',
      content:
        typeof content === 'string'
          ? content
          : content.map(
              (part): TextPart => ({ type: 'text', text: part.type === 'text' ? part.text : part.refusal }),
            ),
      ...name,
    };
  }
  const parts: AssistantContentPart[] = [];
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning });
  if (typeof content === 'string') {
    if (content !== '') parts.push({ type: 'text', text: content });
  } else {
    for (const part of content)
      parts.push({ type: 'text', text: part.type === 'text' ? part.text : part.refusal });
  }
  if (refusal) parts.push({ type: 'text', text: refusal });
  for (const call of toolCalls) {
    parts.push({
      type: 'tool-call',
      toolCallId: call.id,
      toolName: call.function.name,
      arguments: call.function.arguments,
    });
  }
  return { role: 'assistant', content: parts, ...name };
}
