import type { BackendCallOptions, ChatRequest, ChatResponse, StreamEvent } from 'ai.matey.core';
import { MockBackend, type MockBackendOptions } from 'ai.matey.testing';

/**
 * A MockBackend whose calls each wait for `open()`: a plain call before it answers, a stream
 * after its first event. `entered` lists the calls' last user texts in the order they reached it.
 */
export class GatedBackend extends MockBackend {
  readonly entered: string[] = [];
  readonly #gates: Array<() => void> = [];

  constructor(options: MockBackendOptions = {}) {
    super(options);
  }

  /** Calls waiting at the gate. */
  get waiting(): number {
    return this.#gates.length;
  }

  /** Lets the longest-waiting call go on. */
  open(): void {
    this.#gates.shift()?.();
  }

  override async execute(request: ChatRequest, options: BackendCallOptions = {}): Promise<ChatResponse> {
    await this.#gate(request);
    return super.execute(request, options);
  }

  override stream(request: ChatRequest, options: BackendCallOptions = {}): AsyncIterable<StreamEvent> {
    const inner = super.stream(request, options);
    const gate = this.#gate(request);
    return (async function* () {
      let first = true;
      for await (const event of inner) {
        yield event;
        if (first) await gate;
        first = false;
      }
    })();
  }

  #gate(request: ChatRequest): Promise<void> {
    const last = request.messages.at(-1);
    this.entered.push(typeof last?.content === 'string' ? last.content : '');
    return new Promise((resolve) => this.#gates.push(resolve));
  }
}
