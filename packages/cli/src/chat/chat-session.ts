import {
  type ChatRequest,
  type ChatResponse,
  type Message,
  responseText,
  type StreamEvent,
} from 'ai.matey.core';
import type { CliOutput } from '../cli/cli-io.ts';
import { renderStream, usageLine } from './render-stream.ts';

/** Sends one request and streams its reply: the in-process Bridge or a remote gateway. */
export type ChatSender = (request: ChatRequest, signal: AbortSignal) => AsyncIterable<StreamEvent>;

export interface ChatSessionOptions {
  send: ChatSender;
  provider?: string | undefined;
  model?: string | undefined;
  system?: string | undefined;
  /**
   * How the provider is named in a request. In process it goes in `metadata.provider`; over
   * HTTP only the model id can carry it, as `provider/model` (`provider/` for its default).
   */
  providerIn: 'metadata' | 'model-prefix';
}

/**
 * A conversation: the history, the current provider and model, and one `ask` per turn that
 * streams the reply to the terminal and keeps it. A failed turn leaves the history as it was.
 */
export class ChatSession {
  provider: string | undefined;
  model: string | undefined;
  readonly #options: ChatSessionOptions;
  #history: Message[] = [];

  constructor(options: ChatSessionOptions) {
    this.#options = options;
    this.provider = options.provider;
    this.model = options.model;
  }

  get history(): readonly Message[] {
    return this.#history;
  }

  clear(): void {
    this.#history = [];
  }

  /** The request for the history plus `text`, with the provider and model as set now. */
  request(text: string): ChatRequest {
    const messages: Message[] = [
      ...(this.#options.system ? [{ role: 'system' as const, content: this.#options.system }] : []),
      ...this.#history,
      { role: 'user', content: text },
    ];
    const request: ChatRequest = { messages };
    if (this.#options.providerIn === 'model-prefix' && this.provider) {
      request.model = `${this.provider}/${this.model ?? ''}`;
    } else if (this.model) {
      request.model = this.model;
    }
    if (this.#options.providerIn === 'metadata' && this.provider) {
      request.metadata = { provider: this.provider };
    }
    return request;
  }

  /** Streams the answer to `out`, then the usage line to `err`; throws the call's error. */
  async ask(text: string, out: CliOutput, err: CliOutput, signal: AbortSignal): Promise<ChatResponse> {
    const started = performance.now();
    const response = await renderStream(this.#options.send(this.request(text), signal), out);
    err.write(`${usageLine(response, performance.now() - started)}\n`);
    this.#history.push(
      { role: 'user', content: text },
      { role: 'assistant', content: responseText(response) },
    );
    return response;
  }
}
