import {
  type ChatRequest,
  InvalidRequestError,
  type ResponseFormat,
  type ToolDefinition,
} from 'ai.matey.core';
import { invalidOpenAIChatRequest } from '../openai-chat/openai-chat-invalid-request.ts';
import { requireJsonObject } from '../shared/json-object-body.ts';
import { decodeInputItems } from './responses-decode-items.ts';
import { type RawItem, RESPONSES_KEY } from './responses-metadata.ts';
import { type ResponsesRequestBody, responsesRequestSchema } from './responses-request-schema.ts';

/** Fields read into the spec request or the call (`stream`); the rest go to `providerOptions['openai-responses']`. */
const MAPPED_FIELDS = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'reasoning',
  'max_output_tokens',
  'temperature',
  'top_p',
  'user',
  'previous_response_id',
  'stream',
]);

const EFFORTS = new Set(['minimal', 'low', 'medium', 'high']);

/**
 * Parses a `POST /v1/responses` body as the OpenAI SDK, the Agents SDK or Codex send it.
 * `instructions` becomes a leading system message; `input` items become messages
 * (`decodeInputItems`); function tools, `tool_choice`, `text.format`, `reasoning.effort` and
 * the sampling fields map to the spec. Hosted and custom tools, a hosted `tool_choice`,
 * `reasoning.summary`, `text.verbosity` and every other field ride in
 * `providerOptions['openai-responses']`, so a Responses upstream gets them untouched.
 * `previous_response_id` and `store` go to `metadata` (`previousResponseId`, `storeResponse`),
 * where the gateway's conversation store reads them; the number of leading system messages that
 * are this call's `instructions` goes there too (`instructionMessages`), since a continued
 * conversation does not carry them over.
 */
export function decodeResponsesRequest(body: unknown): ChatRequest {
  requireJsonObject(body);
  const parsed = responsesRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidOpenAIChatRequest(parsed.error.issues);
  const input = parsed.data;
  const passthrough: Record<string, unknown> = {};

  const items: RawItem[] =
    input.input === undefined
      ? []
      : typeof input.input === 'string'
        ? [{ role: 'user', content: input.input }]
        : input.input;
  const messages = decodeInputItems(items);
  const hasInstructions = typeof input.instructions === 'string' && input.instructions !== '';
  if (hasInstructions) messages.unshift({ role: 'system', content: input.instructions as string });
  if (messages.length === 0 && input.previous_response_id == null) {
    throw new InvalidRequestError({
      message: "Missing required parameter: 'input'.",
      param: 'input',
      code: 'missing_required_parameter',
    });
  }
  const request: ChatRequest = { messages };
  if (input.model !== undefined) request.model = input.model;

  const functions: ToolDefinition[] = [];
  const hosted: unknown[] = [];
  for (const tool of input.tools ?? []) {
    if (isFunctionTool(tool)) functions.push(functionTool(tool));
    else hosted.push(tool);
  }
  if (functions.length > 0) request.tools = functions;
  if (hosted.length > 0) passthrough.tools = hosted;

  const choice = input.tool_choice;
  if (choice != null) {
    if (typeof choice === 'string') request.toolChoice = choice;
    else if (choice.type === 'function' && typeof choice.name === 'string')
      request.toolChoice = { type: 'tool', name: choice.name };
    else passthrough.tool_choice = choice;
  }
  if (input.parallel_tool_calls != null) request.parallelToolCalls = input.parallel_tool_calls;
  const { format, ...textRest } = input.text ?? {};
  if (format !== undefined) request.responseFormat = decodeFormat(format);
  if (Object.keys(textRest).length > 0) passthrough.text = textRest;
  const { effort, ...reasoningRest } = input.reasoning ?? {};
  if (effort != null) {
    if (EFFORTS.has(effort)) request.reasoning = { effort: effort as 'minimal' | 'low' | 'medium' | 'high' };
    else passthrough.reasoning = { effort };
  }
  const reasoningExtra = Object.fromEntries(
    Object.entries(reasoningRest).filter(([, value]) => value != null),
  );
  if (Object.keys(reasoningExtra).length > 0)
    passthrough.reasoning = { ...(passthrough.reasoning as object | undefined), ...reasoningExtra };
  if (input.max_output_tokens != null) request.maxOutputTokens = input.max_output_tokens;
  if (input.temperature != null) request.temperature = input.temperature;
  if (input.top_p != null) request.topP = input.top_p;
  if (input.user != null) request.user = input.user;

  request.metadata = {
    storeResponse: input.store !== false,
    instructionMessages: hasInstructions ? 1 : 0,
    ...(input.previous_response_id != null ? { previousResponseId: input.previous_response_id } : {}),
  };
  for (const [key, value] of Object.entries(body)) {
    if (!MAPPED_FIELDS.has(key) && value !== undefined) passthrough[key] = value;
  }
  if (Object.keys(passthrough).length > 0) request.providerOptions = { [RESPONSES_KEY]: passthrough };
  return request;
}

type FunctionToolBody = Extract<NonNullable<ResponsesRequestBody['tools']>[number], { type: 'function' }>;

function isFunctionTool(tool: NonNullable<ResponsesRequestBody['tools']>[number]): tool is FunctionToolBody {
  return tool.type === 'function' && typeof tool.name === 'string';
}

function functionTool(tool: FunctionToolBody): ToolDefinition {
  return {
    name: tool.name,
    ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
    inputSchema: (tool.parameters as Record<string, unknown> | null | undefined) ?? {
      type: 'object',
      properties: {},
    },
    ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}),
  };
}

function decodeFormat(
  format: NonNullable<NonNullable<ResponsesRequestBody['text']>['format']>,
): ResponseFormat {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  return {
    type: 'json-schema',
    schema: format.schema as Record<string, unknown>,
    name: format.name as string,
    ...(typeof format.description === 'string' ? { description: format.description } : {}),
    ...(typeof format.strict === 'boolean' ? { strict: format.strict } : {}),
  };
}
