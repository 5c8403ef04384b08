import {
  type BackendCallOptions,
  checkOptions,
  type ModerationRequest,
  type ModerationResponse,
  type OptionShape,
} from 'ai.matey.core';
import { checkChoice, checkPhases } from './check-choice.ts';
import type { Guardrail, GuardrailPhase } from './guardrail.ts';

export interface ModerationGuardrailOptions {
  /** The moderation call: a backend's `moderate` (OpenAI's `/v1/moderations` through our adapter). */
  moderate: (request: ModerationRequest, options?: BackendCallOptions) => Promise<ModerationResponse>;
  /** The moderation model (default the backend's: `omni-moderation-latest`). */
  model?: string;
  /** Default both. */
  phases?: readonly GuardrailPhase[];
  /** `block` (default) refuses the text; `flag` lets it through with a warning. */
  action?: 'block' | 'flag';
  /** Only these categories count (default: any the provider flags). */
  categories?: readonly string[];
  /** Count a category when its score reaches this, even if the provider did not flag it. */
  scoreThreshold?: number;
  /** Input: `last` user message only (default) or `all` messages (a call each). */
  inputScope?: 'all' | 'last';
}

const moderationOptions: OptionShape<ModerationGuardrailOptions> = {
  moderate: true,
  model: true,
  phases: true,
  action: true,
  categories: true,
  scoreThreshold: true,
  inputScope: true,
};

/**
 * A provider's moderation classifier as a guardrail, called through our own backend (its key,
 * transport, retries of errors). A failed moderation call blocks (fails closed), as any check
 * that throws. In a stream, each window is one call.
 *
 * @example
 * const openai = new OpenAIBackendAdapter({ apiKey });
 * moderationGuardrail({ moderate: (request, options) => openai.moderate!(request, options) });
 */
export function moderationGuardrail(options: ModerationGuardrailOptions): Guardrail {
  checkOptions('moderationGuardrail', options, moderationOptions);
  checkChoice('moderationGuardrail', 'action', options.action, ['block', 'flag']);
  checkPhases('moderationGuardrail', options.phases);
  const action = options.action ?? 'block';
  const counts = (name: string, found: boolean, score: number | undefined) =>
    (options.categories === undefined || options.categories.includes(name)) &&
    (found || (options.scoreThreshold !== undefined && (score ?? 0) >= options.scoreThreshold));
  return {
    name: 'moderation',
    phases: options.phases ?? ['input', 'output'],
    inputScope: options.inputScope ?? 'last',
    async check({ text, signal }) {
      if (text.trim() === '') return { verdict: 'pass' };
      const request: ModerationRequest = {
        input: [text],
        ...(options.model ? { model: options.model } : {}),
      };
      const reply = await options.moderate(request, { signal });
      const result = reply.results[0];
      if (!result) return { verdict: 'pass' };
      const found = Object.entries(result.categories)
        .filter(([name, flagged]) => counts(name, flagged, result.categoryScores[name]))
        .map(([name]) => name);
      if (found.length === 0) return { verdict: 'pass' };
      return { verdict: action, reason: `moderation flagged ${found.join(', ')}` };
    },
  };
}
