import type { AttemptBudget } from '../attempt-budget.ts';
import type { AttemptCheck, BackendMetadata } from '../backend.ts';
import type { ChatStream } from '../chat-stream.ts';
import type { EmbedRequest, EmbedResponse } from '../spec/embed.ts';
import type { ChatRequest } from '../spec/request.ts';
import type { ChatResponse } from '../spec/response.ts';

/** What a middleware gets back from `next`: a response for `execute`, a stream for `stream`. */
export type Reply = ChatResponse | ChatStream;

/** Runs the rest of the chain (and the backend) with this request. Call it again to retry. */
export type NextFunction = (request: ChatRequest) => Promise<Reply>;

/** Runs the rest of the chain (and the backend) for an embedding call. Call it again to retry. */
export type EmbedNextFunction = (request: EmbedRequest) => Promise<EmbedResponse>;

/** What every call's context holds, whatever its kind (chat or embedding). */
export interface CallContext {
  /** `execute` and `stream` are chat calls; `embed` an embedding call. */
  readonly mode: 'execute' | 'stream' | 'embed';
  readonly requestId: string;
  /** Aborted when the caller cancels or the call's time runs out. */
  readonly signal: AbortSignal;
  readonly startedAt: number;
  /** The Bridge's backend (a provider adapter, or a Router). */
  readonly backend: BackendMetadata;
  /** Per-call scratch space shared by the chain (cost, cache status, …). */
  readonly state: Map<string, unknown>;
  /** The caller's check on every upstream attempt (see `CallOptions.checkAttempt`). */
  readonly checkAttempt?: AttemptCheck;
  /** The upstream calls this call may still make, shared by retries and fallbacks. */
  readonly attempts: AttemptBudget;
}

/** The context of a chat call: `execute` or `stream`; the same middleware serves both. */
export interface MiddlewareContext extends CallContext {
  readonly mode: 'execute' | 'stream';
}

/** The context of an embedding call (`bridge.embed`). */
export interface EmbedContext extends CallContext {
  readonly mode: 'embed';
}

/**
 * One contract for `execute` and `stream` calls. A middleware may change the request (what it
 * passes to `next` is what the backend gets), answer without calling `next`, call `next` again
 * to retry, or wrap the reply: a `ChatResponse` for `execute`, a `ChatStream` for `stream`
 * (wrap it with `map`/`tap`/`onFinish`; never collect it). Embedding calls go to `embed`, which
 * a chat-only middleware leaves out.
 *
 * A class, so `import { Middleware } from 'ai.matey.core'` is a value under Node's type
 * stripping too; `implements Middleware` and `extends Middleware` both work, and so does a plain
 * object or function (`bridge.use` takes any of them).
 *
 * @example
 * class Stamp implements Middleware {
 *   async execute(request, next) {
 *     return next({ ...request, metadata: { ...request.metadata, stamped: true } });
 *   }
 * }
 */
export abstract class Middleware {
  declare readonly name?: string;
  abstract execute(request: ChatRequest, next: NextFunction, context: MiddlewareContext): Promise<Reply>;
  /**
   * Embedding calls (`bridge.embed`). A middleware without it is chat-only: embedding calls pass
   * it by untouched, so validation of messages or redaction of chat content never sees them.
   */
  embed?(request: EmbedRequest, next: EmbedNextFunction, context: EmbedContext): Promise<EmbedResponse>;
}

export type MiddlewareFunction = (
  request: ChatRequest,
  next: NextFunction,
  context: MiddlewareContext,
) => Promise<Reply>;

export type MiddlewareLike = Middleware | MiddlewareFunction;

export function toMiddleware(middleware: MiddlewareLike): Middleware {
  return typeof middleware === 'function'
    ? { name: middleware.name || 'anonymous', execute: middleware }
    : middleware;
}
