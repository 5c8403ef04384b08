import { checkOptions, type OptionShape } from 'ai.matey.core';
import { type DetectOptions, detectPromptInjection } from '../guards/detect-prompt-injection.ts';
import { checkChoice } from './check-choice.ts';
import type { Guardrail } from './guardrail.ts';

export interface PromptInjectionGuardrailOptions extends DetectOptions {
  /** `block` (default) refuses the request; `flag` lets it through with a warning. */
  action?: 'block' | 'flag';
  /** Score from which a text counts as an injection (default 0.7). */
  threshold?: number;
  /** Also check tool results (indirect injection from fetched pages); default false. */
  checkToolResults?: boolean;
  /** `all` user messages (default) or only the `last` one. */
  scope?: 'all' | 'last';
}

const guardrailOptions: OptionShape<PromptInjectionGuardrailOptions> = {
  patterns: true,
  extraPatterns: true,
  action: true,
  threshold: true,
  checkToolResults: true,
  scope: true,
};

/**
 * The prompt-injection heuristics (`detectPromptInjection`, patterns in guards/README.md) as an
 * input guardrail: user messages, and tool results when asked.
 *
 * @example
 * createGuardrailMiddleware({ guardrails: [promptInjectionGuardrail({ action: 'flag' })] });
 */
export function promptInjectionGuardrail(options: PromptInjectionGuardrailOptions = {}): Guardrail {
  checkOptions('promptInjectionGuardrail', options, guardrailOptions);
  checkChoice('promptInjectionGuardrail', 'action', options.action, ['block', 'flag']);
  checkChoice('promptInjectionGuardrail', 'scope', options.scope, ['all', 'last']);
  const threshold = options.threshold ?? 0.7;
  const action = options.action ?? 'block';
  return {
    name: 'prompt-injection',
    phases: ['input'],
    inputScope: options.scope ?? 'all',
    check({ text, source }) {
      if (source === 'tool' && !options.checkToolResults) return { verdict: 'pass' };
      const assessment = detectPromptInjection(text, options);
      if (assessment.score < threshold) return { verdict: 'pass' };
      const kinds = [...new Set(assessment.matches.map((match) => match.category))].join(', ');
      return {
        verdict: action,
        reason: `looks like a prompt injection (${kinds}, score ${assessment.score})`,
      };
    },
  };
}
