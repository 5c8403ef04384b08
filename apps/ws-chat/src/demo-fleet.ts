import { type ChatRequest, Router } from 'ai.matey.core';
import { MockBackend, type MockReply } from 'ai.matey.testing';

export interface DemoFleetOptions {
  /** Pause between streamed words, so streaming is visible. Default 60 ms. */
  chunkDelayMs?: number;
}

export interface DemoFleet {
  router: Router;
  backends: { openai: MockBackend; anthropic: MockBackend };
}

const LONG_STORY_SENTENCES = [
  'Once upon a time a small packet set out across the network.',
  'It hopped from router to router, asking each one for directions.',
  'Some were quick and cheerful, others slow and full of queued requests.',
  'Along the way it met a retry, a timeout and a very patient circuit breaker.',
];

/**
 * Two offline backends named `openai` and `anthropic` behind a Router, each answering in its
 * own recognisable style, so the chat page can be tried (and tested) without API keys. A
 * prompt containing the word "long" gets a reply of a few hundred words, long enough to cancel.
 *
 * @example
 * const { router } = createDemoFleet({ chunkDelayMs: 20 });
 * const bridge = new Bridge({ backend: router });
 */
export function createDemoFleet(options: DemoFleetOptions = {}): DemoFleet {
  const chunkDelayMs = options.chunkDelayMs ?? 60;
  const openai = new MockBackend({
    name: 'openai',
    defaultModel: 'mock-gpt-4o-mini',
    reply: (request) =>
      replyFor(
        request,
        chunkDelayMs,
        (prompt) => `Sure! Quick answer to "${prompt}": keep it short and simple.`,
      ),
  });
  const anthropic = new MockBackend({
    name: 'anthropic',
    defaultModel: 'mock-claude-sonnet',
    reply: (request) =>
      replyFor(
        request,
        chunkDelayMs,
        (prompt) => `I'd be glad to help with "${prompt}". Let me think it through carefully, step by step.`,
      ),
  });
  const router = new Router({ defaultBackend: 'openai' })
    .register('openai', openai)
    .register('anthropic', anthropic);
  return { router, backends: { openai, anthropic } };
}

function replyFor(request: ChatRequest, chunkDelayMs: number, style: (prompt: string) => string): MockReply {
  const prompt = lastUserText(request);
  const text = /\blong\b/i.test(prompt)
    ? Array.from({ length: 20 }, (_, i) => LONG_STORY_SENTENCES[i % LONG_STORY_SENTENCES.length]).join(' ')
    : style(prompt);
  return { text, chunkDelayMs };
}

function lastUserText(request: ChatRequest): string {
  const last = request.messages.findLast((message) => message.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
