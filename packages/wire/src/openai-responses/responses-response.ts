import type { AssistantContentPart, ChatResponse } from 'ai.matey.core';
import type { DecodeContext, StreamEncoderOptions } from '../codec.ts';
import { malformedReply } from '../shared/malformed-reply.ts';
import { decodeResponsesStreamError } from './responses-error.ts';
import { itemId } from './responses-item-id.ts';
import {
  isRecord,
  omit,
  type RawItem,
  responsesMetadata,
  stringOr,
  withResponsesMetadata,
} from './responses-metadata.ts';
import { outputItemsFromParts, partsFromOutputItem } from './responses-output-items.ts';
import { asksForTool, finishFromResponses, statusFromFinish } from './responses-status.ts';
import { usageFromResponses, usageToResponses } from './responses-usage.ts';

/**
 * A spec response from a Responses `response` object: each output item becomes parts
 * (`partsFromOutputItem`), `status` and `incomplete_details` the finish reason, `usage` the
 * usage with cached and reasoning tokens. A `failed` response is thrown as its error.
 */
export function decodeResponsesResponse(body: unknown, context: DecodeContext): ChatResponse {
  if (!isRecord(body)) throw malformedReply(context.provider, 'response', 'the body is not a JSON object');
  if (isRecord(body.error) && (body.status === 'failed' || body.object !== 'response'))
    throw decodeResponsesStreamError(body, context);
  if (!Array.isArray(body.output))
    throw malformedReply(context.provider, 'response', 'the body has no output');
  const content: AssistantContentPart[] = [];
  for (const item of body.output) if (isRecord(item)) content.push(...partsFromOutputItem(item));
  const { finishReason, rawFinishReason } = finishFromResponses(
    body.status,
    body.incomplete_details,
    body.output.some(asksForTool),
  );
  return {
    id: stringOr(body.id, ''),
    model: stringOr(body.model, context.request?.model ?? ''),
    provider: context.provider,
    content,
    finishReason,
    rawFinishReason,
    usage: usageFromResponses(body.usage),
    warnings: [],
    ...withResponsesMetadata({ response: omit(body, 'output') }),
  };
}

/**
 * The `response` object a Responses client reads for a spec response: output items in order,
 * `status` (`incomplete` for a length or content-filter finish), usage, and the request fields
 * it repeats (`options.echo`).
 */
export function encodeResponsesResponse(
  response: ChatResponse,
  options: StreamEncoderOptions = {},
): Record<string, unknown> {
  const id = response.id || itemId('resp_');
  return responseObject({
    echo: options.echo,
    upstream: responsesMetadata(response.providerMetadata).response,
    id,
    model: response.model,
    createdAt: Math.floor(Date.now() / 1000),
    output: outputItemsFromParts(response.content, id),
    ...statusFromFinish(response.finishReason),
    usage: usageToResponses(response.usage),
  });
}

/** What a `response` object says; the request-echo fields the call did not set get their defaults. */
export interface ResponseFields {
  /** The request fields the object repeats, as the call sent them (`responsesEcho`). */
  echo?: Readonly<Record<string, unknown>> | undefined;
  /** The upstream's own response object (a Responses upstream): its other fields are kept. */
  upstream?: RawItem | undefined;
  id: string;
  model: string;
  createdAt: number;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  output: unknown[];
  incomplete_details?: unknown;
  error?: unknown;
  usage?: unknown;
}

/** A whole `response` object, as OpenAI sends it in a reply and in lifecycle stream events. */
export function responseObject(fields: ResponseFields): Record<string, unknown> {
  const {
    output: _output,
    usage: _usage,
    status: _status,
    error: _error,
    incomplete_details: _details,
    ...kept
  } = fields.upstream ?? {};
  return {
    id: fields.id,
    object: 'response',
    created_at: fields.createdAt,
    status: fields.status,
    background: false,
    error: fields.error ?? null,
    incomplete_details: fields.incomplete_details ?? null,
    instructions: null,
    max_output_tokens: null,
    model: fields.model,
    output: fields.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: fields.usage ?? null,
    user: null,
    metadata: {},
    ...kept,
    // The caller's own request, over the upstream's echo of the request the gateway sent it.
    ...fields.echo,
  };
}
