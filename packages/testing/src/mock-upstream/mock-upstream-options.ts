import type { IncomingMessage } from 'node:http';
import type { AiMateyError } from 'ai.matey.core';
import type { MockUpstreamReply, MockUpstreamReplySource } from './mock-upstream-reply.ts';
import type { MockRateLimit } from './rate-limiter.ts';
import type { MockTokenCount } from './serve-count.ts';
import type { EmbedCallDeps } from './serve-embed-call.ts';

/** How a mock upstream answers. */
export interface MockUpstreamOptions {
  /** Port on 127.0.0.1 (default: an ephemeral one). */
  port?: number;
  /** The reply for calls with nothing queued (default: echo the last user message). */
  reply?: MockUpstreamReplySource;
  /** The reply for embedding calls with nothing queued (default: deterministic vectors). */
  embedReply?: EmbedCallDeps['reply'];
  /** Replies for the first calls, in order (as `enqueue`). */
  replies?: MockUpstreamReply[];
  /** Fields merged under every reply (timing knobs for a whole server, say). */
  defaults?: MockUpstreamReply;
  /** Require one of these keys; others get the provider's 401. */
  apiKeys?: string[];
  /** Enforce a sliding-window rate limit, answering 429 as the provider does. */
  rateLimit?: MockRateLimit;
  /** Model ids for the list-models routes (default: a few per protocol). */
  models?: string[];
  /** The provider name in responses and errors (default: openai, anthropic or google by protocol). */
  provider?: string;
  /** Keep the request log (default true; turn off for long benchmarks). */
  log?: boolean;
  /** The count token-count calls get (Anthropic, Gemini); default: about 4 body characters a token. */
  tokenCount?: MockTokenCount;
  /**
   * Checks each routed call's credentials the way the provider does (a SigV4 signature, say):
   * the error it returns is answered in the protocol's own format instead of the reply.
   */
  authenticate?: (call: MockUpstreamCall) => AiMateyError | undefined;
}

/** A call as it reached the mock upstream, for `authenticate`. */
export interface MockUpstreamCall {
  method: string;
  /** The path and query exactly as received (still URL-encoded). */
  url: string;
  headers: IncomingMessage['headers'];
  /** The body text as received. */
  body: string;
}
