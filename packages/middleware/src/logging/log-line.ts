import {
  type CallOutcome,
  type ChatRequest,
  type MiddlewareContext,
  redactSecrets,
  toAiMateyError,
  type Usage,
} from 'ai.matey.core';
import { CACHE_STATUS_STATE } from '../cache/index.ts';
import { COST_STATE } from '../cost-tracking/index.ts';
import type { Redactor } from '../redaction/redactor.ts';
import { RETRY_STATE } from '../retry/index.ts';

/** The one line logged per call. Absent fields were not known for that call. */
export interface CallLogLine {
  requestId: string;
  /** A chat call (`execute`, `stream`) or an embedding call (`embed`). */
  mode: 'execute' | 'stream' | 'embed';
  /** `ok`, `cancelled`, or the error's kind (`rate-limited`, `timeout`, …). */
  outcome: string;
  provider?: string;
  /** The backend that served the call (a Router's choice), else the Bridge's backend. */
  backend: string;
  model?: string;
  requestedModel?: string;
  latencyMs: number;
  /** Streams: from the start of the call to the first event. */
  timeToFirstEventMs?: number;
  finishReason?: string;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  costUsd?: number;
  /** Upstream calls made for this request, retries and fallbacks together (as `x-matey-attempts`). */
  attempts: number;
  cache?: string;
  /** Embedding calls: how many inputs the batch had. */
  inputs?: number;
  error?: { kind: string; message: string; status?: number; code?: string; provider?: string };
  request?: { messages: unknown; tools?: string[] };
  response?: { content: unknown };
}

export interface LineInput {
  request: ChatRequest;
  context: MiddlewareContext;
  outcome: CallOutcome;
  /** Set to include message bodies; with a redactor, personal data in them is replaced. */
  bodies?: { redactor?: Redactor };
  /** Prices the reply when no cost-tracking middleware did (`LoggingOptions.costOf`). */
  costOf?: ReplyPricer;
}

/** The USD cost of a reply's usage, or undefined when its model has no known price. */
export type ReplyPricer = (reply: { model: string; provider: string; usage: Usage }) => number | undefined;

const MAX_BODY_STRING = 2000;

function numberIn(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'number' ? field : undefined;
}

/** Every string in a value through `clean`, recursively (bodies can hold keys or PII anywhere). */
function deepClean(value: unknown, clean: (text: string) => string): unknown {
  if (typeof value === 'string') return clean(value);
  if (Array.isArray(value)) return value.map((item) => deepClean(item, clean));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deepClean(item, clean)]));
  }
  return value;
}

/** Builds the log line of a finished call; every string in it has secrets redacted. */
export function buildLogLine(input: LineInput): CallLogLine {
  const { request, context, outcome: result } = input;
  const response = result.status === 'ok' ? result.response : result.partial;
  const routing = response?.routing;
  const retryAttempts = RETRY_STATE.get(context.state)?.attempts;
  const cost = (response?.metadata?.cost as unknown) ?? COST_STATE.get(context.state);
  const cache = CACHE_STATUS_STATE.get(context.state);

  const line: CallLogLine = {
    requestId: context.requestId,
    mode: context.mode,
    outcome: 'ok',
    backend: routing?.backend ?? context.backend.name,
    latencyMs: Math.round(result.latencyMs * 10) / 10,
    // The call's own count is exact; a log line of a call answered without one (a cache hit) says 1.
    attempts: context.attempts.used || (retryAttempts ?? routing?.attempts ?? 1),
  };
  const provider =
    response?.provider || (context.backend.provider !== 'router' ? context.backend.provider : '');
  if (provider) line.provider = provider;
  if (response?.model) line.model = response.model;
  if (request.model) line.requestedModel = request.model;
  if (result.timeToFirstEventMs !== undefined)
    line.timeToFirstEventMs = Math.round(result.timeToFirstEventMs * 10) / 10;
  if (result.status === 'ok') line.finishReason = result.response.finishReason;
  const usage = response?.usage;
  if (usage && (usage.inputTokens > 0 || usage.outputTokens > 0)) {
    line.inputTokens = usage.inputTokens;
    line.outputTokens = usage.outputTokens;
    if (usage.cachedInputTokens) line.cachedInputTokens = usage.cachedInputTokens;
  }
  const costUsd = numberIn(cost, 'actualUsd') ?? (response && input.costOf?.(response));
  if (costUsd !== undefined) line.costUsd = costUsd;
  if (typeof cache === 'string') line.cache = cache;

  if (result.status === 'cancelled') line.outcome = 'cancelled';
  if (result.status === 'failed') {
    const error = toAiMateyError(result.error);
    line.outcome = error.kind === 'unknown' ? 'error' : error.kind;
    line.error = {
      kind: error.kind,
      message: error.message,
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.code !== undefined ? { code: error.code } : {}),
      ...(error.provider !== undefined ? { provider: error.provider } : {}),
    };
  }

  if (input.bodies) {
    const redactor = input.bodies.redactor;
    const clean = (text: string) => {
      const safe = redactSecrets(redactor ? redactor.redact(text).text : text);
      // Inline images and files are base64: their bytes say nothing useful in a log.
      return safe.length > MAX_BODY_STRING
        ? `${safe.slice(0, MAX_BODY_STRING)}…[${safe.length - MAX_BODY_STRING} more chars]`
        : safe;
    };
    line.request = {
      messages: deepClean(request.messages, clean),
      ...(request.tools?.length ? { tools: request.tools.map((tool) => clean(tool.name)) } : {}),
    };
    if (response) line.response = { content: deepClean(response.content, clean) };
  }
  return cleanStrings(line);
}

/**
 * `redactSecrets` over every string of the line, in place. The line's own fields are flat strings
 * and numbers plus `error`; bodies were cleaned above, so they are not walked again.
 */
function cleanStrings(line: CallLogLine): CallLogLine {
  const fields = line as unknown as Record<string, unknown>;
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === 'string') fields[key] = redactSecrets(value);
  }
  if (line.error) {
    line.error.message = redactSecrets(line.error.message);
    if (line.error.code !== undefined) line.error.code = redactSecrets(line.error.code);
    if (line.error.provider !== undefined) line.error.provider = redactSecrets(line.error.provider);
  }
  return line;
}
