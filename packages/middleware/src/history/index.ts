import {
  type ChatRequest,
  type ChatResponse,
  checkOptions,
  type Message,
  type Middleware,
  mapReply,
  type OptionShape,
  StateKey,
  StreamAccumulator,
  type StreamEvent,
} from 'ai.matey.core';
import { approximateMessageTokens } from '../cost-tracking/estimate-tokens.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { KeyValueStore } from '../store/store.ts';
import { trimHistory } from './trim-history.ts';

export { splitTurns, trimHistory } from './trim-history.ts';

export interface HistoryOptions {
  /** Where conversations are kept (default: an in-memory store). */
  store?: KeyValueStore;
  /** The session a request belongs to; none means no history. Default: `metadata.sessionId`. */
  sessionId?: (request: ChatRequest) => string | undefined;
  /** Most messages sent and kept, system message included (default 50). */
  maxMessages?: number;
  /** Most tokens sent and kept (estimated; default: no limit). */
  maxTokens?: number;
  /** How long an idle conversation is kept, in ms (default 24 h; each turn renews it). */
  ttlMs?: number;
  /** Prefix of the store keys (default `history`). */
  keyPrefix?: string;
  /** Token count of a message; default chars/4 plus 4 per message (an approximation). */
  countTokens?: (message: Message) => number;
}

/** Where the history middleware says what it prepended, in `context.state` (`'history'`). */
export const HISTORY_STATE = new StateKey<{ sessionId: string; prependedMessages: number }>('history');

/** The history middleware, with access to stored conversations. */
export interface HistoryMiddleware extends Middleware {
  /** The stored conversation of a session (system message first, if any). */
  getHistory(sessionId: string): Promise<Message[]>;
  clearHistory(sessionId: string): Promise<void>;
}

function defaultSessionId(request: ChatRequest): string | undefined {
  const id = request.metadata?.sessionId;
  return typeof id === 'string' && id ? id : undefined;
}

const historyOptions: OptionShape<HistoryOptions> = {
  store: true,
  sessionId: true,
  maxMessages: true,
  maxTokens: true,
  ttlMs: true,
  keyPrefix: true,
  countTokens: true,
};

/**
 * Keeps conversations server-side, so a client sends only its new turn.
 *
 * For a request with a session id (`metadata.sessionId` by default) it puts the stored
 * conversation in front of the request's messages (the request's system message, if it has
 * one, replaces the stored one). After a successful call it stores the new turn and the reply;
 * for a stream, when the stream completes — a failed or cancelled stream stores nothing, so a
 * retry of the turn is not recorded twice. The conversation is bounded by `maxMessages` and
 * `maxTokens`: the oldest turns go first, the system message stays, and a turn (a user message
 * with the tool calls and results that follow it) is never split. Two concurrent calls in one
 * session both see the history before them; the later one to finish is what is stored.
 *
 * @example
 * const bridge = new Bridge({
 *   backend,
 *   middleware: [createHistoryMiddleware({ store: new MemoryStore(), maxMessages: 20, ttlMs: 3_600_000 })],
 * });
 * await bridge.execute({ messages: [{ role: 'user', content: 'My name is Ada.' }], metadata: { sessionId: 's1' } });
 * await bridge.execute({ messages: [{ role: 'user', content: 'What is my name?' }], metadata: { sessionId: 's1' } });
 */
export function createHistoryMiddleware(options: HistoryOptions = {}): HistoryMiddleware {
  checkOptions('createHistoryMiddleware', options, historyOptions);
  const store = options.store ?? new MemoryStore();
  const sessionOf = options.sessionId ?? defaultSessionId;
  const prefix = options.keyPrefix ?? 'history';
  const ttlMs = options.ttlMs ?? 86_400_000;
  const limits = {
    maxMessages: options.maxMessages ?? 50,
    ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
    countTokens: options.countTokens ?? approximateMessageTokens,
  };
  const keyOf = (sessionId: string) => `${prefix}:${sessionId}`;

  return {
    name: 'history',
    async getHistory(sessionId) {
      return (await store.get<Message[]>(keyOf(sessionId))) ?? [];
    },
    async clearHistory(sessionId) {
      await store.delete(keyOf(sessionId));
    },
    async execute(request, next, context) {
      const sessionId = sessionOf(request);
      if (sessionId === undefined) return next(request);
      const key = keyOf(sessionId);

      const stored = (await store.get<Message[]>(key)) ?? [];
      const storedSystem = stored[0]?.role === 'system' ? stored[0] : undefined;
      const storedTurns = storedSystem ? stored.slice(1) : stored;
      const requestSystem = request.messages[0]?.role === 'system' ? request.messages[0] : undefined;
      const newMessages = requestSystem ? request.messages.slice(1) : request.messages;
      const system = requestSystem ?? storedSystem;

      const history = trimHistory(system, storedTurns, limits, newMessages);
      const historyTurns = system ? history.slice(1) : history;
      HISTORY_STATE.set(context.state, { sessionId, prependedMessages: historyTurns.length });

      const save = async (response: ChatResponse) => {
        const reply: Message = { role: 'assistant', content: response.content };
        const conversation = trimHistory(system, [...historyTurns, ...newMessages, reply], limits);
        await store.set(key, conversation, ttlMs);
      };

      let saving: Promise<void> | undefined;
      const reply = mapReply(await next({ ...request, messages: [...history, ...newMessages] }), {
        response: (response) => {
          saving = save(response);
          return response;
        },
        stream: (stream) => saveOnCompletion(stream, save),
      });
      if (saving) await saving;
      return reply;
    },
  };
}

/**
 * Passes the stream through and stores the conversation once it has completed, before the
 * caller sees the end, so the session's next call finds this turn. A stream that fails or is
 * abandoned never reaches the save.
 */
async function* saveOnCompletion(
  source: AsyncIterable<StreamEvent>,
  save: (response: ChatResponse) => Promise<void>,
): AsyncGenerator<StreamEvent> {
  const accumulator = new StreamAccumulator();
  for await (const event of source) {
    accumulator.push(event);
    yield event;
  }
  if (!accumulator.error) await save(accumulator.response());
}
