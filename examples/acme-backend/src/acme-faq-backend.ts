import {
  type Backend,
  type BackendCallOptions,
  type BackendMetadata,
  CancelledError,
  type ChatRequest,
  type ChatResponse,
  collectStream,
  InvalidRequestError,
  type StreamEvent,
} from 'ai.matey.core';

/**
 * A backend with no HTTP at all: Acme's FAQ answers from a table, streamed word by word. It
 * shows the bare `Backend` contract: `metadata`, `stream` (the events), and `execute` (the same
 * reply, collected).
 *
 * @example
 * const faq = new AcmeFaqBackend({ hours: 'We are open 9 to 5.' });
 * const reply = await new Bridge({ backend: faq }).execute({ messages: [{ role: 'user', content: 'hours?' }] });
 */
export class AcmeFaqBackend implements Backend {
  readonly metadata: BackendMetadata = {
    name: 'acme-faq',
    provider: 'acme',
    capabilities: { streaming: true, tools: false, vision: false, reasoning: false, jsonSchema: false },
    defaultModel: 'faq-1',
  };
  readonly #answers: Readonly<Record<string, string>>;

  constructor(answers: Readonly<Record<string, string>>) {
    this.#answers = answers;
  }

  execute(request: ChatRequest, options: BackendCallOptions = {}): Promise<ChatResponse> {
    return collectStream(this.stream(request, options));
  }

  async *stream(request: ChatRequest, options: BackendCallOptions = {}): AsyncGenerator<StreamEvent> {
    const last = request.messages.at(-1);
    if (last?.role !== 'user' || typeof last.content !== 'string') {
      // A typed error: the gateway answers it as a 400 in the caller's own format.
      throw new InvalidRequestError({
        message: 'ask in a plain-text user message',
        provider: 'acme',
        param: 'messages',
      });
    }
    const question = last.content.toLowerCase();
    const topic = Object.keys(this.#answers).find((key) => question.includes(key));
    const answer = topic ? this.#answers[topic] : "Sorry, I don't know that one.";
    const model = request.model ?? 'faq-1';
    yield { type: 'start', id: `faq-${Date.now()}`, model, provider: 'acme' };
    const words = (answer ?? '').split(/(?<= )/);
    for (const word of words) {
      // Stop as soon as the caller goes away (a client that disconnected, a timeout).
      if (options.signal?.aborted)
        throw new CancelledError({ message: 'The call was cancelled', provider: 'acme' });
      yield { type: 'text-delta', index: 0, delta: word };
    }
    const usage = { inputTokens: last.content.length, outputTokens: words.length, totalTokens: 0 };
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
    yield { type: 'finish', finishReason: 'stop', usage };
  }
}
