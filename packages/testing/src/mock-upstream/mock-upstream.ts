import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthenticationError, type ChatRequest, RateLimitError } from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';
import { estimateTokens } from '../scripted-response.ts';
import { decodeChatCall } from './decode-chat-call.ts';
import { readBody, sendError, sendMockFailure } from './http-io.ts';
import { personaOf } from './mock-personas.ts';
import type { MockUpstreamOptions } from './mock-upstream-options.ts';
import type { MockReplyContext, MockUpstreamReply, MockUpstreamReplySource } from './mock-upstream-reply.ts';

export type { MockUpstreamCall, MockUpstreamOptions } from './mock-upstream-options.ts';

import { modelsListBody } from './models-list.ts';
import { SlidingWindowRateLimiter } from './rate-limiter.ts';
import { type Exchange, sendJson } from './reply-writer.ts';
import { requestApiKey } from './request-api-key.ts';
import { type MockUpstreamRequest, RequestLog, redactHeaders, redactPath } from './request-log.ts';
import { createRequestRouter, type MockRoute } from './route-request.ts';
import { serveCount } from './serve-count.ts';
import { serveEmbedCall } from './serve-embed-call.ts';
import { serveModeration } from './serve-moderation.ts';
import { serveReply } from './serve-reply.ts';

// A fixed abort reason: the default one builds a DOMException (with a stack) per request.
const CONNECTION_CLOSED = new Error('The connection closed');

/**
 * A real HTTP server speaking the OpenAI, Anthropic and Gemini wire formats, and any protocol
 * registered before it starts (JSON and SSE), with
 * scripted replies, recorded-fixture replay, fault injection, rate limits and a request log.
 * Start it with `startMockUpstream`.
 *
 * @example
 * await using upstream = await startMockUpstream({ reply: { text: 'Hello!' } });
 * const client = new OpenAI({ apiKey: 'test', baseURL: `${upstream.url}/v1` });
 */
export class MockUpstream {
  readonly #server: Server;
  readonly #options: MockUpstreamOptions;
  readonly #log = new RequestLog();
  readonly #limiter: SlidingWindowRateLimiter | undefined;
  // Built once: the protocols registered when the server is made are the ones it serves.
  readonly #route = createRequestRouter();
  #queue: MockUpstreamReply[];
  #reply: MockUpstreamReplySource;
  #callIndex = 0;
  #url: string | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: MockUpstreamOptions = {}) {
    this.#options = options;
    this.#queue = [...(options.replies ?? [])];
    this.#reply = options.reply ?? {};
    this.#limiter = options.rateLimit ? new SlidingWindowRateLimiter(options.rateLimit) : undefined;
    this.#server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
      this.#handle(req, res).catch((error: unknown) => sendMockFailure(res, error));
    });
    // Longer than clients' idle timeouts, so a pooled client never reuses a socket closed under it.
    this.#server.keepAliveTimeout = 65_000;
    this.#server.headersTimeout = 66_000;
    this.#server.on('connection', (socket) => socket.setNoDelay(true));
  }

  /** Starts listening on 127.0.0.1; resolves once `url` is known. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port ?? 0, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** The base URL, `http://127.0.0.1:PORT` (OpenAI clients add `/v1`). */
  get url(): string {
    if (this.#url === undefined) throw new Error('MockUpstream is not listening yet: call listen()');
    return this.#url;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  /** Every request received since start (or `reset()`), in arrival order. */
  get requests(): readonly MockUpstreamRequest[] {
    return this.#log.entries;
  }

  /** Queues replies for the next calls (chat or embedding), in order, ahead of `reply`. */
  enqueue(...replies: MockUpstreamReply[]): this {
    this.#queue.push(...replies);
    return this;
  }

  /** Replaces the reply for calls with nothing queued. */
  setReply(reply: MockUpstreamReplySource): this {
    this.#reply = reply;
    return this;
  }

  /** Resolves with the log once it holds at least `count` requests. */
  async waitForRequests(count: number, timeoutMs = 5000): Promise<MockUpstreamRequest[]> {
    await this.#log.waitUntil(
      () => this.#log.entries.length >= count,
      timeoutMs,
      () => `Mock upstream saw ${this.#log.entries.length} of ${count} requests within ${timeoutMs} ms`,
    );
    return [...this.#log.entries];
  }

  /** Resolves with the first request whose client closed the connection before the reply ended. */
  async waitForClientAbort(timeoutMs = 5000): Promise<MockUpstreamRequest> {
    const aborted = () => this.#log.entries.find((entry) => entry.clientAborted);
    await this.#log.waitUntil(
      () => aborted() !== undefined,
      timeoutMs,
      () => `No client closed its connection early within ${timeoutMs} ms`,
    );
    return aborted() as MockUpstreamRequest;
  }

  /** Clears the log, the reply queue, the call count and the rate-limit window. */
  reset(): void {
    this.#log.clear();
    this.#queue = [];
    this.#callIndex = 0;
    this.#limiter?.reset();
  }

  /** Stops listening and drops every connection (in-flight replies included). */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (!this.#server.listening) return resolve();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    const exchange: Exchange = { res, signal: controller.signal, serverReset: false };
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
    const method = req.method ?? 'GET';
    const entry: MockUpstreamRequest = {
      method,
      path: redactPath(rawUrl),
      headers: redactHeaders(req.headers),
      body: undefined,
      stream: false,
      time: Date.now(),
      clientAborted: false,
    };
    res.on('close', () => {
      controller.abort(CONNECTION_CLOSED);
      if (res.headersSent) entry.status = res.statusCode;
      if (!res.writableFinished && !exchange.serverReset) {
        entry.clientAborted = true;
        entry.clientAbortedAt = Date.now();
        this.#log.changed();
      }
    });
    res.on('finish', () => {
      entry.status = res.statusCode;
      entry.completedAt = Date.now();
    });
    const bodyText = method === 'POST' ? await readBody(req) : '';
    const route = this.#route(method, path, req.headers);
    if (this.#options.log !== false) this.#log.add(entry);
    if (route.kind === 'not-found') {
      const body = { error: { message: `No route for ${method} ${path}`, type: 'not_found_error' } };
      return sendJson(exchange, 404, JSON.stringify(body));
    }
    const { codec } = route;
    exchange.framing = codec.streamFraming;
    const provider = this.#options.provider ?? personaOf(codec.protocol).provider;
    entry.protocol = codec.protocol;
    const keys = this.#options.apiKeys;
    if (keys && !keys.includes(requestApiKey(req.headers, query) ?? '')) {
      const error = new AuthenticationError({
        message: 'Invalid API key provided.',
        provider,
        code: 'invalid_api_key',
      });
      return sendError(exchange, codec, error);
    }
    const refused = this.#options.authenticate?.({
      method,
      url: rawUrl,
      headers: req.headers,
      body: bodyText,
    });
    if (refused) return sendError(exchange, codec, refused);
    if (route.kind === 'models') {
      const models = this.#options.models ?? personaOf(codec.protocol).models;
      return sendJson(exchange, 200, JSON.stringify(modelsListBody(codec, models, provider)));
    }
    if (route.kind === 'count') {
      serveCount(exchange, entry, route.codec, route, bodyText, this.#options.tokenCount);
      return;
    }
    if (route.kind === 'moderate')
      return serveModeration(exchange, entry, codec, route.moderations, bodyText);
    if (route.kind === 'embed') {
      return serveEmbedCall(exchange, entry, route, {
        provider,
        bodyText,
        headers: req.headers,
        limiter: this.#limiter,
        defaults: this.#options.defaults,
        nextCall: () => ({ callIndex: this.#callIndex++, queued: this.#queue.shift() }),
        reply: this.#options.embedReply ?? {},
      });
    }
    await this.#chat(exchange, entry, route, codec, provider, bodyText, req);
  }

  async #chat(
    exchange: Exchange,
    entry: MockUpstreamRequest,
    route: Extract<MockRoute, { kind: 'chat' }>,
    codec: WireCodec,
    provider: string,
    bodyText: string,
    req: IncomingMessage,
  ): Promise<void> {
    const call = decodeChatCall(codec, route, bodyText, provider);
    entry.body = call.body;
    if (!call.ok) return sendError(exchange, codec, call.error);
    const { request, model, stream } = call;
    entry.request = request;
    entry.model = model;
    entry.stream = stream;

    let headers: Record<string, string> = {};
    if (this.#limiter) {
      const decision = this.#limiter.take(estimateTokens(bodyText.length) + (request.maxOutputTokens ?? 0));
      if (!decision.allowed) {
        const error = new RateLimitError({
          message: 'Rate limit reached for requests. Please try again later.',
          provider,
          code: 'rate_limit_exceeded',
          retryAfterMs: decision.retryAfterMs,
        });
        return sendError(exchange, codec, error, { retryAfterMs: decision.retryAfterMs }, decision.headers);
      }
      headers = decision.headers;
    }

    const callIndex = this.#callIndex++;
    entry.callIndex = callIndex;
    const context = { protocol: codec.protocol, model, stream, headers: req.headers, callIndex };
    const reply = await this.#nextReply(request, context);
    await serveReply(exchange, this.#options.defaults ? { ...this.#options.defaults, ...reply } : reply, {
      codec,
      provider,
      request,
      model,
      stream,
      callIndex,
      requestChars: bodyText.length,
      includeUsage: call.includeUsage,
      headers,
    });
  }

  async #nextReply(request: ChatRequest, context: MockReplyContext): Promise<MockUpstreamReply> {
    const queued = this.#queue.shift();
    if (queued) return queued;
    const source = this.#reply;
    return typeof source === 'function' ? source(request, context) : source;
  }
}

/**
 * Starts a mock upstream on 127.0.0.1 (an ephemeral port unless `options.port`).
 *
 * @example
 * await using upstream = await startMockUpstream({ reply: { text: 'Hi', chunkCount: 2 } });
 */
export function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  return new MockUpstream(options).listen();
}
