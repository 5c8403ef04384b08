import {
  type ChatRequest,
  checkOptions,
  InvalidRequestError,
  type Middleware,
  mapReply,
  type OptionShape,
  type Reply,
  StateKey,
} from 'ai.matey.core';
import { createGuardrailMiddleware, type GuardrailMiddlewareOptions } from '../guardrails/index.ts';
import { observedInjectionGuardrail } from '../guardrails/prompt-injection-guardrail.ts';
import type { DetectOptions, InjectionMatch } from './detect-prompt-injection.ts';

export {
  type DetectOptions,
  detectPromptInjection,
  type InjectionAssessment,
  type InjectionMatch,
  normalizeForDetection,
} from './detect-prompt-injection.ts';
export {
  INJECTION_PATTERNS,
  type InjectionCategory,
  type InjectionPattern,
} from './prompt-injection-patterns.ts';

/** A message that scored at or above the threshold. */
export interface InjectionFinding {
  messageIndex: number;
  role: 'user' | 'tool';
  score: number;
  matches: InjectionMatch[];
}

/** What `flag` mode records in `response.metadata.promptInjection` and `context.state`. */
export interface InjectionReport {
  flagged: boolean;
  /** The highest score of any checked message. */
  score: number;
  findings: InjectionFinding[];
}

export interface PromptInjectionGuardOptions extends DetectOptions {
  /** `block` (default) refuses the request; `flag` lets it through and records the finding. */
  action?: 'block' | 'flag';
  /** Score from which a message counts as an injection (default 0.7). */
  threshold?: number;
  /** Also check tool results (indirect injection from fetched pages, files…); default false. */
  checkToolResults?: boolean;
  /** `all` user messages (default) or only the `last` one. */
  scope?: 'all' | 'last';
  /** Called for every request with findings, in both modes. */
  onDetect?: (report: InjectionReport, requestId: string) => void;
  /** Every verdict, as `createGuardrailMiddleware` reports them (for metrics). */
  onVerdict?: GuardrailMiddlewareOptions['onVerdict'];
}

/** Where the prompt-injection guard leaves its report in `context.state` (`'promptInjection'`). */
export const PROMPT_INJECTION_STATE = new StateKey<InjectionReport>('promptInjection');

const guardOptions: OptionShape<PromptInjectionGuardOptions> = {
  patterns: true,
  extraPatterns: true,
  action: true,
  threshold: true,
  checkToolResults: true,
  scope: true,
  onDetect: true,
  onVerdict: true,
};

/**
 * Checks user messages (and optionally tool results) for prompt injection: orders to ignore
 * previous instructions, system-prompt extraction, role-play jailbreaks, chat-template and
 * role-header injection, and instructions hidden in encoded payloads. The patterns and their
 * weights are documented in `guards/README.md`. System and assistant messages are yours, so
 * they are not checked.
 *
 * `block` throws `InvalidRequestError` (status 400, code `prompt_injection_detected`, param
 * `messages[i]`) before the request goes anywhere; `flag` lets it through and records the
 * report in `response.metadata.promptInjection` (execute) and `context.state` (both modes),
 * and a `guardrail` warning (the gateway's `x-matey-guardrail` header).
 *
 * A thin wrapper: the `promptInjectionGuardrail` run by `createGuardrailMiddleware`, with this
 * guard's report, error and `onDetect`.
 *
 * @example
 * const bridge = new Bridge({
 *   backend,
 *   middleware: [createRedactionMiddleware(), createPromptInjectionGuard({ action: 'block' })],
 * });
 */
export function createPromptInjectionGuard(options: PromptInjectionGuardOptions = {}): Middleware {
  checkOptions('createPromptInjectionGuard', options, guardOptions);
  const { onDetect, onVerdict, ...detection } = options;
  const reports = new WeakMap<ChatRequest, InjectionReport>();
  const guardrail = observedInjectionGuardrail(
    detection,
    {
      assessed(request, check, assessment, found) {
        const report = reports.get(request);
        const index = check.messageIndex;
        if (!report || index === undefined) return;
        report.score = Math.max(report.score, assessment.score);
        if (!found || report.findings.some((finding) => finding.messageIndex === index)) return;
        const role = check.source ?? 'user';
        report.findings.push({
          messageIndex: index,
          role,
          score: assessment.score,
          matches: assessment.matches,
        });
        report.flagged = true;
      },
      errorFor: (check, kinds) =>
        new InvalidRequestError({
          message: `The request was refused: messages[${check.messageIndex}] looks like a prompt injection (${kinds})`,
          code: 'prompt_injection_detected',
          param: `messages[${check.messageIndex}]`,
        }),
    },
    'createPromptInjectionGuard',
  );
  const guardrails = createGuardrailMiddleware({
    guardrails: [guardrail],
    ...(onVerdict ? { onVerdict } : {}),
  });

  return {
    name: 'prompt-injection-guard',
    async execute(request, next, context) {
      const report: InjectionReport = { flagged: false, score: 0, findings: [] };
      reports.set(request, report);
      PROMPT_INJECTION_STATE.set(context.state, report);
      let notified = false;
      const notify = () => {
        if (notified || !report.flagged) return;
        notified = true;
        try {
          onDetect?.(report, context.requestId);
        } catch {
          // An observer's failure must not change the guard's decision.
        }
      };
      let reply: Reply;
      try {
        reply = await guardrails.execute(
          request,
          (checked) => {
            notify();
            return next(checked);
          },
          context,
        );
      } catch (error) {
        notify();
        throw error;
      }
      if (!report.flagged) return reply;
      return mapReply(reply, {
        response: (response) => ({
          ...response,
          metadata: { ...response.metadata, promptInjection: report },
        }),
      });
    },
  };
}
