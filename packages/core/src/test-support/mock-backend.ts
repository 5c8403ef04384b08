import type { Backend, BackendCallOptions, BackendCapabilities, BackendMetadata } from '../backend.ts';
import type { AiMateyError } from '../errors/ai-matey-error.ts';
import { NetworkError } from '../errors/network-error.ts';
import { toAiMateyError } from '../errors/to-ai-matey-error.ts';
import type { AssistantContentPart } from '../spec/content.ts';
import type { ChatRequest } from '../spec/request.ts';
import type { ChatResponse, Usage } from '../spec/response.ts';
import type { StreamEvent } from '../spec/stream.ts';
import { responseToEvents } from '../spec/stream-accumulator.ts';

/** What the fake answers with for one call. */
export interface MockReply {
  text?: string;
  reasoning?: string;
  reasoningSignature?: string;
  toolCalls?: Array<{ id?: string; name: string; arguments: unknown }>;
  usage?: Partial<Usage>;
  /** Fail the call (before any stream event) with this error. */
  error?: AiMateyError;
  /** Fail a stream with a network error after this many events. */
  failAfterEvents?: number;
  /** Wait before answering (time to first event for streams). */
  latencyMs?: number;
  /** Wait between stream events. */
  chunkDelayMs?: number;
}

export interface MockBackendOptions {
  name?: string;
  /** The model used when a request names none (default `mock-model`). */
  defaultModel?: string;
  capabilities?: Partial<BackendCapabilities>;
  /** The reply for every call (default: echo the last user text). */
  reply?: MockReply;
  /** Replies used in order, one per call, before `reply`. */
  replies?: MockReply[];
}

/**
 * Core's own in-process Backend for its Bridge and Router tests: scripted replies, errors,
 * latency, mid-stream faults and a log of requests. A small sibling of ai.matey.testing's
 * MockBackend, kept here because the test kit depends on core and must not be a dependency of it.
 */
export class MockBackend implements Backend {
  readonly metadata: BackendMetadata;
  /** Every request received, in order. */
  readonly calls: ChatRequest[] = [];
  /** Streams cancelled by their reader or an abort before finishing. */
  cancelledStreams = 0;
  readonly #queue: MockReply[];
  readonly #reply: MockReply | undefined;

  constructor(options: MockBackendOptions = {}) {
    const name = options.name ?? 'mock';
    const capabilities = { streaming: true, tools: true, vision: true, reasoning: true, jsonSchema: true };
    this.metadata = {
      name,
      provider: name,
      defaultModel: options.defaultModel ?? 'mock-model',
      capabilities: { ...capabilities, ...options.capabilities },
    };
    this.#queue = [...(options.replies ?? [])];
    this.#reply = options.reply;
  }

  /** Queues replies for the next calls, in order. */
  enqueue(...replies: MockReply[]): this {
    this.#queue.push(...replies);
    return this;
  }

  async execute(request: ChatRequest, options: BackendCallOptions = {}): Promise<ChatResponse> {
    const reply = this.#next(request);
    await sleep(reply.latencyMs ?? 0, options.signal);
    if (reply.error) throw reply.error;
    return this.#response(request, reply);
  }

  async *stream(request: ChatRequest, options: BackendCallOptions = {}): AsyncGenerator<StreamEvent> {
    const reply = this.#next(request);
    const signal = options.signal;
    let finished = false;
    try {
      await sleep(reply.latencyMs ?? 0, signal);
      if (reply.error) throw reply.error;
      let sent = 0;
      for (const event of wordByWord(responseToEvents(this.#response(request, reply)))) {
        if (reply.failAfterEvents !== undefined && sent >= reply.failAfterEvents) {
          throw new NetworkError({
            message: 'The connection was reset mid-stream',
            provider: this.metadata.name,
          });
        }
        if (sent > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs, signal);
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

  #next(request: ChatRequest): MockReply {
    this.calls.push(request);
    return this.#queue.shift() ?? this.#reply ?? { text: `Echo: ${lastUserText(request)}` };
  }

  #response(request: ChatRequest, reply: MockReply): ChatResponse {
    const content: AssistantContentPart[] = [];
    if (reply.reasoning !== undefined) {
      const signature = reply.reasoningSignature;
      content.push({ type: 'reasoning', text: reply.reasoning, ...(signature ? { signature } : {}) });
    }
    if (reply.text) content.push({ type: 'text', text: reply.text });
    for (const [i, call] of (reply.toolCalls ?? []).entries()) {
      content.push({
        type: 'tool-call',
        toolCallId: call.id ?? `call_${i}`,
        toolName: call.name,
        arguments: JSON.stringify(call.arguments ?? {}),
      });
    }
    const inputTokens = reply.usage?.inputTokens ?? 1;
    const outputTokens = reply.usage?.outputTokens ?? 1;
    return {
      id: `mock-${this.metadata.name}-${this.calls.length}`,
      model: request.model ?? this.metadata.defaultModel ?? 'mock-model',
      provider: this.metadata.provider,
      content,
      finishReason: reply.toolCalls?.length ? 'tool-calls' : 'stop',
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, ...reply.usage },
      warnings: [],
    };
  }
}

function lastUserText(request: ChatRequest): string {
  const last = request.messages.findLast((message) => message.role === 'user');
  if (typeof last?.content === 'string') return last.content;
  return (last?.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Splits text deltas word by word, as a provider streams them. */
function* wordByWord(events: StreamEvent[]): Generator<StreamEvent> {
  for (const event of events) {
    if (event.type !== 'text-delta') yield event;
    else for (const delta of event.delta.match(/\S+\s*|\s+/g) ?? [event.delta]) yield { ...event, delta };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(toAiMateyError(signal.reason));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(toAiMateyError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
