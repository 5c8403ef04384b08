import { type ChatRequest, checkOptions, type OptionShape } from 'ai.matey.core';
import { checkChoice } from './check-choice.ts';
import type { Guardrail } from './guardrail.ts';

export interface SystemPromptLeakOptions {
  /** Words per n-gram (default 5). */
  ngramWords?: number;
  /**
   * Share of the system prompt's distinct n-grams the answer may repeat before it counts as a
   * leak (default 0.25).
   */
  threshold?: number;
  /** `block` (default) stops the answer; `flag` lets it through with a warning. */
  action?: 'block' | 'flag';
}

const leakOptions: OptionShape<SystemPromptLeakOptions> = { ngramWords: true, threshold: true, action: true };

interface CallLeak {
  prompt: Set<string>;
  matched: Set<string>;
}

/** Lower-case words of letters and digits: punctuation and spacing do not hide a copy. */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function ngrams(list: readonly string[], size: number): string[] {
  const grams: string[] = [];
  for (let start = 0; start + size <= list.length; start++)
    grams.push(list.slice(start, start + size).join(' '));
  return grams;
}

function systemPrompt(request: ChatRequest): string {
  return request.messages
    .map((message) => {
      if (message.role !== 'system') return '';
      return typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => part.text).join('\n');
    })
    .join('\n');
}

/**
 * An output check for leakage of the system prompt: the share of the prompt's word n-grams the
 * answer repeats. A stream is judged as it goes, the matches of its windows added up per call
 * (each window with the sent text just before it, so an n-gram across the edge counts), with no
 * copy of the answer kept. A request without a system prompt of at least `ngramWords` words passes.
 *
 * @example
 * createGuardrailMiddleware({ guardrails: [systemPromptLeakGuardrail({ threshold: 0.2 })] });
 */
export function systemPromptLeakGuardrail(options: SystemPromptLeakOptions = {}): Guardrail {
  checkOptions('systemPromptLeakGuardrail', options, leakOptions);
  checkChoice('systemPromptLeakGuardrail', 'action', options.action, ['block', 'flag']);
  const size = options.ngramWords ?? 5;
  const threshold = options.threshold ?? 0.25;
  const action = options.action ?? 'block';
  // Per call: the request object is the same for every window of one answer.
  const calls = new WeakMap<ChatRequest, CallLeak>();
  const leakOf = (request: ChatRequest): CallLeak => {
    let leak = calls.get(request);
    if (!leak) {
      leak = { prompt: new Set(ngrams(words(systemPrompt(request)), size)), matched: new Set() };
      calls.set(request, leak);
    }
    return leak;
  };
  return {
    name: 'system-prompt-leak',
    phases: ['output'],
    check({ text, before, request }) {
      const leak = leakOf(request);
      if (leak.prompt.size === 0) return { verdict: 'pass' };
      for (const gram of ngrams(words(`${before} ${text}`), size))
        if (leak.prompt.has(gram)) leak.matched.add(gram);
      const share = leak.matched.size / leak.prompt.size;
      if (share < threshold) return { verdict: 'pass' };
      return {
        verdict: action,
        reason: `the answer repeats ${Math.round(share * 100)}% of the system prompt`,
      };
    },
  };
}
