import { checkOptions, type OptionShape } from 'ai.matey.core';
import { heldFrom } from '../redaction/redact-stream.ts';
import { type RedactionCounts, Redactor, type RedactorOptions } from '../redaction/redactor.ts';
import { checkChoice, checkPhases } from './check-choice.ts';
import type { Guardrail, GuardrailPhase } from './guardrail.ts';

export interface PiiGuardrailOptions extends RedactorOptions {
  /** `rewrite` (default) redacts the data (`[EMAIL]`…); `block` refuses the text; `flag` warns. */
  action?: 'rewrite' | 'block' | 'flag';
  /** Default both: PII kept out of what is sent upstream, and out of what the answer leaks. */
  phases?: readonly GuardrailPhase[];
}

const piiOptions: OptionShape<PiiGuardrailOptions> = {
  categories: true,
  customPatterns: true,
  replacements: true,
  action: true,
  phases: true,
};

/** `email x2, phone x1`: what was found, never the data. */
export function describeCounts(counts: RedactionCounts): string {
  return Object.entries(counts)
    .map(([category, count]) => `${category} x${count}`)
    .join(', ');
}

/**
 * Personal data (the `Redactor`'s detectors: emails, phones, cards, SSNs, …) in the request or
 * the answer. In a stream, a window keeps back a trailing run that could still grow into a match
 * (`heldFrom`), so an email split across deltas is still found whole.
 *
 * @example
 * createGuardrailMiddleware({ guardrails: [piiGuardrail({ categories: ['email', 'card'] })] });
 */
export function piiGuardrail(options: PiiGuardrailOptions = {}): Guardrail {
  checkOptions('piiGuardrail', options, piiOptions);
  checkChoice('piiGuardrail', 'action', options.action, ['rewrite', 'block', 'flag']);
  checkPhases('piiGuardrail', options.phases);
  const { categories, customPatterns, replacements } = options;
  const redactor = new Redactor({ categories, customPatterns, replacements });
  const action = options.action ?? 'rewrite';
  return {
    name: 'pii',
    phases: options.phases ?? ['input', 'output'],
    check({ text }) {
      const result = redactor.redact(text);
      if (Object.keys(result.counts).length === 0) return { verdict: 'pass' };
      const reason = `personal data (${describeCounts(result.counts)})`;
      if (action === 'rewrite') return { verdict: 'rewrite', text: result.text, reason };
      return { verdict: action, reason };
    },
    holdFrom: heldFrom,
  };
}
