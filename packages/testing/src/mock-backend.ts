import {
  type AiMateyError,
  type Backend,
  type BackendCallOptions,
  type BackendCapabilities,
  type BackendMetadata,
  type ChatRequest,
  type ChatResponse,
  checkOptions,
  type ModelInfo,
  NetworkError,
  type OptionShape,
  responseToEvents,
  type StreamEvent,
} from 'ai.matey.core';
import { abortableSleep } from './abortable-sleep.ts';
import { type ScriptedContent, scriptedResponse } from './scripted-response.ts';

/** What a MockBackend answers with for one call. */
export interface MockReply extends ScriptedContent {
  /** Fail the call (before any stream event) with this error. */
  error?: AiMateyError;
  /** Fail a stream after this many events have been sent. */
  failAfterEvents?: number;
  /** The error for `failAfterEvents` (default: a network error). */
  midStreamError?: AiMateyError;
  /** Wait before answering (time to first event for streams). */
  latencyMs?: number;
  /** Wait between stream events. */
  chunkDelayMs?: number;
  /** Characters per text delta when streaming (default: word by word). */
  chunkSize?: number;
}

export type MockReplySource = MockReply | ((request: ChatRequest, call: number) => MockReply);

export interface MockBackendOptions {
  name?: string;
  provider?: string;
  defaultModel?: string;
  capabilities?: Partial<BackendCapabilities>;
  /** One reply for every call, or a function of the request. Default: echo the last user text. */
  reply?: MockReplySource;
  /** Replies used in order, one per call, before `reply`. */
  replies?: MockReply[];
  models?: ModelInfo[];
}

const mockBackendOptions: OptionShape<MockBackendOptions> = {
  name: true,
  provider: true,
  defaultModel: true,
  capabilities: true,
  reply: true,
  replies: true,
  models: true,
};

/**
 * An in-process Backend for tests of core, middleware and patterns: scripted replies, errors,
 * latency and mid-stream faults, and a log of every request it received. Its stream and its
 * `execute` describe the same reply, so a collected stream equals the plain response.
 */
export class MockBackend implements Backend {
  readonly metadata: BackendMetadata;
  /** Every request received, in order (after middleware changed it). */
  readonly calls: ChatRequest[] = [];
  /** Streams that were cancelled by their reader or an abort before finishing. */
  cancelledStreams = 0;
  readonly #queue: MockReply[];
  #reply: MockReplySource;
  readonly #models: ModelInfo[];

  constructor(options: MockBackendOptions = {}) {
    checkOptions('new MockBackend', options, mockBackendOptions);
    const name = options.name ?? 'mock';
    this.metadata = {
      name,
      provider: options.provider ?? name,
      defaultModel: options.defaultModel ?? 'mock-model',
      capabilities: {
        streaming: true,
        tools: true,
        vision: true,
        reasoning: true,
        jsonSchema: true,
        continuation: true,
        ...options.capabilities,
      },
    };
    this.#queue = [...(options.replies ?? [])];
    this.#reply = options.reply ?? echoReply;
    this.#models = options.models ?? [
      { id: this.metadata.defaultModel ?? 'mock-model', provider: this.metadata.provider },
    ];
  }

  /** Replaces the reply for later calls. */
  setReply(reply: MockReplySource): this {
    this.#reply = reply;
    return this;
  }

  /** Queues replies for the next calls, in order. */
  enqueue(...replies: MockReply[]): this {
    this.#queue.push(...replies);
    return this;
  }

  async execute(request: ChatRequest, options: BackendCallOptions = {}): Promise<ChatResponse> {
    const reply = this.#next(request);
    await abortableSleep(reply.latencyMs ?? 0, options.signal);
    if (reply.error) throw reply.error;
    return this.buildResponse(request, reply);
  }

  stream(request: ChatRequest, options: BackendCallOptions = {}): AsyncIterable<StreamEvent> {
    return this.#stream(request, options);
  }

  async *#stream(request: ChatRequest, options: BackendCallOptions): AsyncGenerator<StreamEvent> {
    const reply = this.#next(request);
    const signal = options.signal;
    let finished = false;
    try {
      await abortableSleep(reply.latencyMs ?? 0, signal);
      if (reply.error) throw reply.error;
      let sent = 0;
      for (const event of splitEvents(
        responseToEvents(this.buildResponse(request, reply)),
        reply.chunkSize,
      )) {
        if (reply.failAfterEvents !== undefined && sent >= reply.failAfterEvents) {
          throw (
            reply.midStreamError ??
            new NetworkError({
              message: 'The connection was reset mid-stream',
              provider: this.metadata.provider,
            })
          );
        }
        if (sent > 0 && reply.chunkDelayMs) await abortableSleep(reply.chunkDelayMs, signal);
        if (signal?.aborted) throw signal.reason;
        sent++;
        yield event;
      }
      finished = true;
    } catch (error) {
      finished = !signal?.aborted;
      throw error;
    } finally {
      if (!finished) this.cancelledStreams++;
    }
  }

  async listModels(): Promise<ModelInfo[]> {
    return this.#models;
  }

  async healthCheck() {
    return { healthy: true, latencyMs: 0 };
  }

  /** The response this backend gives for a reply (what `execute` returns). */
  buildResponse(request: ChatRequest, reply: MockReply): ChatResponse {
    const text = reply.text ?? '';
    return scriptedResponse(reply, {
      id: `mock-${this.metadata.name}-${this.calls.length}`,
      model: request.model ?? this.metadata.defaultModel ?? 'mock-model',
      provider: this.metadata.provider,
      text,
      toolCallIdPrefix: `call_mock_${this.calls.length}`,
      inputChars: JSON.stringify(request.messages).length,
      outputChars: text.length,
    });
  }

  #next(request: ChatRequest): MockReply {
    this.calls.push(request);
    const queued = this.#queue.shift();
    if (queued) return queued;
    return typeof this.#reply === 'function' ? this.#reply(request, this.calls.length) : this.#reply;
  }
}

function echoReply(request: ChatRequest): MockReply {
  const last = [...request.messages].reverse().find((message) => message.role === 'user');
  const text =
    typeof last?.content === 'string'
      ? last.content
      : (last?.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
  return { text: `Echo: ${text}` };
}

/** Splits text deltas into words (or `chunkSize` characters), as a provider streams them. */
function* splitEvents(events: StreamEvent[], chunkSize: number | undefined): Generator<StreamEvent> {
  for (const event of events) {
    if (event.type !== 'text-delta' || event.delta.length === 0) {
      yield event;
      continue;
    }
    const pieces = chunkSize
      ? event.delta.match(new RegExp(`[\\s\\S]{1,${chunkSize}}`, 'g'))
      : event.delta.match(/\S+\s*|\s+/g);
    for (const delta of pieces ?? [event.delta]) yield { ...event, delta };
  }
}
