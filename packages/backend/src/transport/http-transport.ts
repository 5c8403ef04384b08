import type { IncomingHttpHeaders } from 'node:http';
import { checkOptions, type OptionShape, UpstreamServerError } from 'ai.matey.core';
import { type ChunkSource, readChunks } from 'ai.matey.core/internal';
import { Pool } from 'undici';
import { toTransportError } from './transport-error.ts';

/** Limits and pool sizes for an `HttpTransport`. */
export interface HttpTransportOptions {
  /** Time to open a TCP/TLS connection. Default 10 s. */
  connectTimeoutMs?: number;
  /**
   * Time from sending the request to the response headers (first byte). A non-streamed
   * completion sends its headers only when it is done, so the default is generous: 10 min.
   * undici checks this (and the idle limit) on a coarse timer: expect up to ~1 s of slack.
   */
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks (idle). Default 5 min. */
  bodyTimeoutMs?: number;
  /** How long an idle keep-alive socket stays open (server hints may shorten it). Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Sockets per origin (each concurrent upstream stream holds one). Default 1024. */
  connections?: number;
  /** Largest JSON reply read into memory; a larger one fails with `UpstreamServerError`. Default 32 MiB. */
  maxResponseBytes?: number;
}

/** One upstream call. `origin` and `path` come pre-split so the hot path parses no URL. */
export interface TransportRequest {
  /** `https://api.openai.com` (scheme, host, port; no path). */
  origin: string;
  /** `/v1/chat/completions?x=y`. */
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Provider name, set on every error. */
  provider: string;
  signal?: AbortSignal;
  /** Per-call first-byte limit, overriding the transport's. */
  headersTimeoutMs?: number;
  /** Per-call idle limit, overriding the transport's. */
  bodyTimeoutMs?: number;
}

/** The body is a Node readable: an async iterable of `Uint8Array` chunks as they arrive. */
export interface TransportResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: AsyncIterable<Uint8Array> &
    ChunkSource & {
      destroy(error?: Error): unknown;
    };
}

/** Drops a body we will not read to the end: the socket is closed, not returned to the pool. */
export function discardBody(response: TransportResponse): void {
  response.body.on('error', ignore);
  response.body.destroy();
}

function ignore(): void {}

const httpTransportOptions: OptionShape<HttpTransportOptions> = {
  connectTimeoutMs: true,
  headersTimeoutMs: true,
  bodyTimeoutMs: true,
  keepAliveTimeoutMs: true,
  connections: true,
  maxResponseBytes: true,
};

/**
 * A pooled keep-alive HTTP/1.1 transport on undici: one `Pool` per origin, shared by every
 * adapter that uses this transport. The caller's `AbortSignal` goes to the socket (an abort
 * destroys the connection, so the upstream sees it close), and transport failures come out as
 * `TimeoutError`, `NetworkError` or `CancelledError` with the provider set.
 *
 * @example
 * const transport = new HttpTransport({ connectTimeoutMs: 5_000 });
 * const response = await transport.request({ origin, path: '/v1/models', method: 'GET', headers, provider: 'openai' });
 * const json = await transport.readJson(response, 'openai');
 */
export class HttpTransport {
  readonly #pools = new Map<string, Pool>();
  readonly #poolOptions: Pool.Options;
  readonly #headersTimeoutMs: number;
  readonly #bodyTimeoutMs: number;
  readonly maxResponseBytes: number;

  constructor(options: HttpTransportOptions = {}) {
    checkOptions('new HttpTransport', options, httpTransportOptions);
    this.#headersTimeoutMs = options.headersTimeoutMs ?? 600_000;
    this.#bodyTimeoutMs = options.bodyTimeoutMs ?? 300_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
    this.#poolOptions = {
      connections: options.connections ?? 1024,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      headersTimeout: this.#headersTimeoutMs,
      bodyTimeout: this.#bodyTimeoutMs,
    };
  }

  /** The pool for an origin, created on first use. */
  pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined || pool.closed || pool.destroyed) {
      pool = new Pool(origin, this.#poolOptions);
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** Sends a request and resolves when the response headers arrive (any status). */
  async request(request: TransportRequest): Promise<TransportResponse> {
    try {
      const response = await this.pool(request.origin).request({
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: request.signal ?? null,
        headersTimeout: request.headersTimeoutMs ?? this.#headersTimeoutMs,
        bodyTimeout: request.bodyTimeoutMs ?? this.#bodyTimeoutMs,
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      throw toTransportError(error, request.provider, request.signal);
    }
  }

  /**
   * Reads a whole body, at most `limit` bytes (default `maxResponseBytes`); past that the
   * connection is dropped and `UpstreamServerError` thrown, so a runaway reply cannot exhaust memory.
   */
  async readBytes(
    response: TransportResponse,
    provider: string,
    signal?: AbortSignal,
    limit = this.maxResponseBytes,
  ): Promise<Buffer> {
    const declared = Number(response.headers['content-length']);
    if (declared > limit) throw tooLarge(response, provider, limit);
    let read: Awaited<ReturnType<typeof readChunks>>;
    try {
      read = await readChunks(response.body, limit);
    } catch (error) {
      throw toTransportError(error, provider, signal);
    }
    if (read.overLimit) throw tooLarge(response, provider, limit);
    const { chunks, size } = read;
    const first = chunks[0];
    if (chunks.length === 1 && first !== undefined && Buffer.isBuffer(first)) return first;
    return Buffer.concat(chunks, size);
  }

  /** Reads and parses a JSON body (bounded); a malformed body is an `UpstreamServerError`. */
  async readJson(response: TransportResponse, provider: string, signal?: AbortSignal): Promise<unknown> {
    const bytes = await this.readBytes(response, provider, signal);
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new UpstreamServerError({
        message: `The provider sent a malformed JSON reply (status ${response.status})`,
        provider,
        code: 'malformed_response',
        cause: error,
      });
    }
  }

  /**
   * Reads an error body (at most 64 KiB): parsed JSON when it is JSON, else the text. Never
   * throws for a body problem; the status alone still classifies the error.
   */
  async readErrorBody(response: TransportResponse, provider: string, signal?: AbortSignal): Promise<unknown> {
    let text: string;
    try {
      text = (await this.readBytes(response, provider, signal, 64 * 1024)).toString('utf8');
    } catch (error) {
      if (signal?.aborted) throw error;
      return '';
    }
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  /** Closes every pool, letting in-flight requests finish. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  /** Hides the pools from `JSON.stringify` and logs. */
  toJSON(): Record<string, unknown> {
    return { origins: [...this.#pools.keys()] };
  }
}

function tooLarge(response: TransportResponse, provider: string, limit: number): UpstreamServerError {
  discardBody(response);
  return new UpstreamServerError({
    message: `The provider reply exceeded the ${limit}-byte limit`,
    provider,
    code: 'response_too_large',
    isRetryable: false,
  });
}

let shared: HttpTransport | undefined;

/** The process-wide transport adapters use unless given their own: one pool per origin for all of them. */
export function sharedTransport(): HttpTransport {
  shared ??= new HttpTransport();
  return shared;
}
