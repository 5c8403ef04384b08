import type {
  AssistantMessage,
  ChatRequest,
  FilePart,
  ImagePart,
  Message,
  ResponseFormat,
  ToolChoice,
  ToolResultPart,
  UserMessage,
  Warning,
} from 'ai.matey.core';
import type { EncodedRequest, EncodeRequestOptions } from '../codec.ts';
import { sourceToUrl } from '../shared/data-url.ts';
import type {
  OpenAIAssistantMessage,
  OpenAIMessage,
  OpenAIResponseFormat,
  OpenAITextContentPart,
  OpenAIToolChoice,
  OpenAIUserContentPart,
} from './openai-chat-types.ts';

/**
 * Providers that take reasoning back in assistant history as `reasoning_content` (DeepSeek's
 * thinking-with-tools loop, and the servers that copied its field). Elsewhere reasoning in
 * history cannot be sent and becomes a warning.
 */
const REASONING_CONTENT_PROVIDERS = new Set([
  'deepseek',
  'moonshot',
  'kimi',
  'qwen',
  'dashscope',
  'zhipu',
  'vllm',
  'sglang',
]);

/** Providers whose newer models reject `max_tokens` and want `max_completion_tokens`. */
const MAX_COMPLETION_TOKENS_PROVIDERS = new Set(['openai', 'azure']);

const AUDIO_FORMATS: Record<string, 'wav' | 'mp3'> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
};

/**
 * The Chat Completions body for a spec request. What OpenAI cannot carry (top-k, a token
 * budget, images in tool results, file URLs) is reported in `warnings`, not dropped in silence.
 */
export function encodeOpenAIChatRequest(request: ChatRequest, options: EncodeRequestOptions): EncodedRequest {
  const provider = options.provider ?? 'openai';
  const warnings: Warning[] = [];
  const body: Record<string, unknown> = {
    model: options.model,
    messages: encodeMessages(request.messages, provider, warnings),
  };

  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.inputSchema,
        ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
      },
    }));
  }
  if (request.toolChoice !== undefined) body.tool_choice = encodeToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.responseFormat !== undefined)
    body.response_format = encodeResponseFormat(request.responseFormat);
  if (request.maxOutputTokens !== undefined) {
    body[MAX_COMPLETION_TOKENS_PROVIDERS.has(provider) ? 'max_completion_tokens' : 'max_tokens'] =
      request.maxOutputTokens;
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.stopSequences !== undefined && request.stopSequences.length > 0)
    body.stop = request.stopSequences;
  const user =
    request.user ?? (typeof request.metadata?.user === 'string' ? request.metadata.user : undefined);
  if (user !== undefined) body.user = user;
  if (request.reasoning?.effort !== undefined) body.reasoning_effort = request.reasoning.effort;
  if (request.reasoning?.budgetTokens !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'reasoning.budgetTokens',
      message:
        'OpenAI Chat Completions takes a reasoning effort, not a token budget; the budget was not sent.',
    });
  }
  if (request.topK !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'topK',
      message: `OpenAI Chat Completions has no top-k setting; topK was not sent (pass top_k in providerOptions.${provider} for servers that take it).`,
    });
  }
  if (options.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  // Passed through as given, so a caller can reach any field this codec does not model.
  Object.assign(body, request.providerOptions?.openai);
  if (provider !== 'openai') Object.assign(body, request.providerOptions?.[provider]);
  return { body, warnings };
}

function encodeMessages(messages: Message[], provider: string, warnings: Warning[]): OpenAIMessage[] {
  const out: OpenAIMessage[] = [];
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
        out.push({
          role: 'system',
          content: typeof message.content === 'string' ? message.content : message.content.map(textPart),
        });
        return;
      case 'user':
        out.push(encodeUserMessage(message, index, warnings));
        return;
      case 'assistant':
        out.push(encodeAssistantMessage(message, index, provider, warnings));
        return;
      case 'tool':
        // One OpenAI `tool` message per result: OpenAI pairs each with a single tool_call_id.
        for (const result of message.content) out.push(encodeToolResult(result, index, warnings));
        return;
    }
  });
  return out;
}

function textPart(part: { text: string }): OpenAITextContentPart {
  return { type: 'text', text: part.text };
}

function encodeUserMessage(message: UserMessage, index: number, warnings: Warning[]): OpenAIMessage {
  const name = message.name !== undefined ? { name: message.name } : {};
  if (typeof message.content === 'string') return { role: 'user', content: message.content, ...name };
  const content: OpenAIUserContentPart[] = [];
  message.content.forEach((part, partIndex) => {
    if (part.type === 'text') content.push(textPart(part));
    else if (part.type === 'image') content.push(encodeImage(part));
    else {
      const encoded = encodeFile(part, `messages[${index}].content[${partIndex}]`, warnings);
      if (encoded) content.push(encoded);
    }
  });
  return { role: 'user', content, ...name };
}

function encodeImage(part: ImagePart): OpenAIUserContentPart {
  return {
    type: 'image_url',
    image_url: {
      url: sourceToUrl(part.source),
      ...(part.detail !== undefined ? { detail: part.detail } : {}),
    },
  };
}

function encodeFile(part: FilePart, where: string, warnings: Warning[]): OpenAIUserContentPart | undefined {
  const fileId = part.providerMetadata?.openai?.fileId;
  if (typeof fileId === 'string') {
    return {
      type: 'file',
      file: { file_id: fileId, ...(part.filename !== undefined ? { filename: part.filename } : {}) },
    };
  }
  if (part.source.kind === 'url') {
    warnings.push({
      type: 'unsupported-content',
      setting: where,
      message: `OpenAI Chat Completions cannot fetch a file from a URL (${part.filename ?? 'file'}); the file was not sent. Send it inline as base64.`,
    });
    return undefined;
  }
  const format = AUDIO_FORMATS[part.source.mediaType.toLowerCase()];
  if (format) return { type: 'input_audio', input_audio: { data: part.source.data, format } };
  if (part.source.mediaType.startsWith('audio/')) {
    warnings.push({
      type: 'unsupported-content',
      setting: where,
      message: `OpenAI Chat Completions takes audio as wav or mp3 only, not ${part.source.mediaType}; the audio was not sent.`,
    });
    return undefined;
  }
  return {
    type: 'file',
    file: {
      file_data: sourceToUrl(part.source),
      ...(part.filename !== undefined ? { filename: part.filename } : {}),
    },
  };
}

function encodeAssistantMessage(
  message: AssistantMessage,
  index: number,
  provider: string,
  warnings: Warning[],
): OpenAIAssistantMessage {
  const name = message.name !== undefined ? { name: message.name } : {};
  if (typeof message.content === 'string') return { role: 'assistant', content: message.content, ...name };
  let text = '';
  let hasText = false;
  let reasoning = '';
  const toolCalls: NonNullable<OpenAIAssistantMessage['tool_calls']> = [];
  for (const part of message.content) {
    if (part.type === 'text') {
      text += part.text;
      hasText = true;
    } else if (part.type === 'reasoning') reasoning += part.text;
    else
      toolCalls.push({
        id: part.toolCallId,
        type: 'function',
        function: { name: part.toolName, arguments: part.arguments },
      });
  }
  // A single string, not a parts array: several compatible servers reject arrays for assistants.
  // `null` only beside tool calls: an assistant message with neither is rejected.
  const content = hasText ? text : toolCalls.length > 0 ? null : '';
  const encoded: OpenAIAssistantMessage = { role: 'assistant', content, ...name };
  if (toolCalls.length > 0) encoded.tool_calls = toolCalls;
  if (reasoning !== '') {
    if (REASONING_CONTENT_PROVIDERS.has(provider)) encoded.reasoning_content = reasoning;
    else
      warnings.push({
        type: 'unsupported-content',
        setting: `messages[${index}].content`,
        message: `${provider} takes no reasoning in assistant history; the reasoning part was not sent.`,
      });
  }
  return encoded;
}

function encodeToolResult(result: ToolResultPart, index: number, warnings: Warning[]): OpenAIMessage {
  let content: string | OpenAITextContentPart[];
  if (typeof result.content === 'string') content = result.content;
  else {
    content = [];
    for (const part of result.content) {
      if (part.type === 'text') content.push(textPart(part));
      else
        warnings.push({
          type: 'unsupported-content',
          setting: `messages[${index}].content`,
          message: `OpenAI tool messages take text only; an image in the result of ${result.toolCallId} was not sent.`,
        });
    }
  }
  if (result.isError) {
    warnings.push({
      type: 'unsupported-setting',
      setting: `messages[${index}].content`,
      message: `OpenAI tool messages cannot mark a result as an error; the result of ${result.toolCallId} was sent as an ordinary result.`,
    });
  }
  return { role: 'tool', tool_call_id: result.toolCallId, content };
}

function encodeToolChoice(choice: ToolChoice): OpenAIToolChoice {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function encodeResponseFormat(format: ResponseFormat): OpenAIResponseFormat {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json') return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      // OpenAI requires a name; `response` is what the AI SDK sends when none is given.
      name: format.name ?? 'response',
      ...(format.description !== undefined ? { description: format.description } : {}),
      schema: format.schema,
      ...(format.strict !== undefined ? { strict: format.strict } : {}),
    },
  };
}
