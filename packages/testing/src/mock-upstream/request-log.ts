import type { IncomingHttpHeaders } from 'node:http';
import type { ChatRequest } from 'ai.matey.core';
import type { WireProtocol } from 'ai.matey.wire';

/** One request the mock upstream received, as a test sees it (secrets redacted). */
export interface MockUpstreamRequest {
  method: string;
  /** Path and query; a `key=` query parameter is redacted. */
  path: string;
  /** Request headers, lower-case; `authorization`, `x-api-key`, `x-goog-api-key`, `api-key` redacted. */
  headers: Record<string, string>;
  /** The parsed JSON body (the raw text when it did not parse; undefined for GET). */
  body: unknown;
  /** The spec request decoded from the body by the protocol's codec. */
  request?: ChatRequest;
  protocol?: WireProtocol;
  model?: string;
  stream: boolean;
  /** Index among chat calls (what reply functions get as `callIndex`). */
  callIndex?: number;
  /** When the request arrived (ms since the epoch). */
  time: number;
  /** The status sent, once headers went out. */
  status?: number;
  /** When the reply was fully written. */
  completedAt?: number;
  /** The client closed the connection before the reply ended. */
  clientAborted: boolean;
  /** When the mock saw that close (ms since the epoch). */
  clientAbortedAt?: number;
}

/** What secret-carrying request headers are replaced with in the log. */
export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'api-key',
]);

/** A copy of the headers with secret values replaced, multi-valued headers joined. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    copy[name] = SECRET_HEADERS.has(name) ? REDACTED : Array.isArray(value) ? value.join(', ') : value;
  }
  return copy;
}

/** The path with the value of a `key=` query parameter replaced. */
export function redactPath(path: string): string {
  return path.includes('key=') ? path.replace(/([?&]key=)[^&]*/g, `$1${REDACTED}`) : path;
}

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
}

/** The request log with waiters: resolves promises as entries arrive or change. */
export class RequestLog {
  readonly entries: MockUpstreamRequest[] = [];
  #waiters: Waiter[] = [];

  add(entry: MockUpstreamRequest): void {
    this.entries.push(entry);
    this.changed();
  }

  /** Call after an entry changed (an abort was seen), so waiters re-check. */
  changed(): void {
    if (this.#waiters.length === 0) return;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.ready()) return true;
      waiter.resolve();
      return false;
    });
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Resolves once `ready()` holds; rejects with `message` after `timeoutMs`. */
  waitUntil(ready: () => boolean, timeoutMs: number, message: () => string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        ready,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((other) => other !== waiter);
        reject(new Error(message()));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }
}
