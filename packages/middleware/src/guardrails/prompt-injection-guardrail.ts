import { type ChatRequest, checkOptions, type InvalidRequestError, type OptionShape } from 'ai.matey.core';
import {
  type DetectOptions,
  detectPromptInjection,
  type InjectionAssessment,
} from '../guards/detect-prompt-injection.ts';
import { checkChoice } from './check-choice.ts';
import type { Guardrail, GuardrailCheck, GuardrailVerdict } from './guardrail.ts';

export interface PromptInjectionGuardrailOptions extends DetectOptions {
  /** `block` (default) refuses the request; `flag` lets it through with a warning. */
  action?: 'block' | 'flag';
  /** Score from which a text counts as an injection (default 0.7). */
  threshold?: number;
  /** Also check tool results (indirect injection from fetched pages); default false. */
  checkToolResults?: boolean;
  /** `all` user messages (default) or only the `last` one (tool results as `checkToolResults` says). */
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

/** What `createPromptInjectionGuard` learns of each text, to build its report. */
export interface InjectionObserver {
  assessed(
    request: ChatRequest,
    check: GuardrailCheck,
    assessment: InjectionAssessment,
    found: boolean,
  ): void;
  /** The error a block throws (the guard's `prompt_injection_detected` with the message's `param`). */
  errorFor?(check: GuardrailCheck, kinds: string): InvalidRequestError;
}

/**
 * The prompt-injection heuristics (`detectPromptInjection`, patterns in guards/README.md) as an
 * input guardrail: user messages, and tool results when asked.
 *
 * @example
 * createGuardrailMiddleware({ guardrails: [promptInjectionGuardrail({ action: 'flag' })] });
 */
export function promptInjectionGuardrail(options: PromptInjectionGuardrailOptions = {}): Guardrail {
  return observedInjectionGuardrail(options);
}

/** `promptInjectionGuardrail` with an observer: the engine of `createPromptInjectionGuard`. */
export function observedInjectionGuardrail(
  options: PromptInjectionGuardrailOptions,
  observer?: InjectionObserver,
  where = 'promptInjectionGuardrail',
): Guardrail {
  checkOptions(where, options, guardrailOptions);
  checkChoice(where, 'action', options.action, ['block', 'flag']);
  checkChoice(where, 'scope', options.scope, ['all', 'last']);
  const threshold = options.threshold ?? 0.7;
  const action = options.action ?? 'block';
  return {
    name: 'prompt-injection',
    phases: ['input'],
    check(check): GuardrailVerdict {
      const { text, source, request, messageIndex } = check;
      if (source === 'tool' && !options.checkToolResults) return { verdict: 'pass' };
      if (source === 'user' && options.scope === 'last' && messageIndex !== lastUserIndex(request))
        return { verdict: 'pass' };
      const assessment = detectPromptInjection(text, options);
      const found = assessment.score >= threshold;
      observer?.assessed(request, check, assessment, found);
      if (!found) return { verdict: 'pass' };
      const kinds = [...new Set(assessment.matches.map((match) => match.category))].join(', ');
      const reason = `looks like a prompt injection (${kinds}, score ${assessment.score})`;
      if (action === 'flag') return { verdict: 'flag', reason };
      const error = observer?.errorFor?.(check, kinds);
      return error ? { verdict: 'block', reason, error } : { verdict: 'block', reason };
    },
  };
}

function lastUserIndex(request: ChatRequest): number {
  return request.messages.findLastIndex((message) => message.role === 'user');
}
