import type { ChatPathInfo, DecodedCall } from '../codec.ts';
import { bodyStreamFlag, createCallDecoder } from '../shared/decode-call.ts';
import { decodeResponsesRequest } from './responses-decode-request.ts';
import { isRecord } from './responses-metadata.ts';

/** The request fields a `response` object repeats, as OpenAI's does, when the call sent them. */
const ECHOED_FIELDS = [
  'background',
  'instructions',
  'max_output_tokens',
  'max_tool_calls',
  'metadata',
  'parallel_tool_calls',
  'previous_response_id',
  'prompt',
  'prompt_cache_key',
  'reasoning',
  'safety_identifier',
  'service_tier',
  'store',
  'temperature',
  'text',
  'tool_choice',
  'tools',
  'top_logprobs',
  'top_p',
  'truncation',
  'user',
] as const;

/** The `metadata` key under which a call's echo rides to the response store, to read the same when fetched. */
export const REPLY_ECHO_KEY = 'replyEcho';

/**
 * What a `response` object repeats of this request body: each echoed field the body set (not
 * null), with `reasoning` and `text` filled over their defaults as OpenAI fills them.
 */
export function responsesEcho(body: Record<string, unknown>): Record<string, unknown> {
  const echo: Record<string, unknown> = {};
  for (const field of ECHOED_FIELDS) {
    const value = body[field];
    if (value !== undefined && value !== null) echo[field] = value;
  }
  if (isRecord(echo.reasoning)) echo.reasoning = { effort: null, summary: null, ...echo.reasoning };
  if (isRecord(echo.text)) echo.text = { format: { type: 'text' }, ...echo.text };
  return echo;
}

const decodeCall = createCallDecoder(decodeResponsesRequest, bodyStreamFlag);

/**
 * A `POST /v1/responses` call: the request, whether to stream, and the fields its reply repeats
 * (`options.echo`, also kept in `metadata.replyEcho` for a response stored and fetched later).
 */
export function decodeResponsesCall(body: unknown, path?: ChatPathInfo): DecodedCall {
  const call = decodeCall(body, path);
  // decodeResponsesRequest accepts only an object body, so this cast holds from here.
  const echo = responsesEcho(body as Record<string, unknown>);
  call.request.metadata = { ...call.request.metadata, [REPLY_ECHO_KEY]: echo };
  return { ...call, options: { ...call.options, echo } };
}
