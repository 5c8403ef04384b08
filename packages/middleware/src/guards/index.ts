import {
  checkOptions,
  InvalidRequestError,
  type Message,
  type Middleware,
  mapReply,
  type OptionShape,
  StateKey,
} from 'ai.matey.core';
import { type DetectOptions, detectPromptInjection, type InjectionMatch } from './detect-prompt-injection.ts';

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
}

/** Where the prompt-injection guard leaves its report in `context.state` (`'promptInjection'`). */
export const PROMPT_INJECTION_STATE = new StateKey<InjectionReport>('promptInjection');

function textsOf(message: Message, checkToolResults: boolean): string[] {
  if (message.role === 'user') {
    if (typeof message.content === 'string') return [message.content];
    return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
  }
  if (message.role === 'tool' && checkToolResults) {
    return message.content.flatMap((part) =>
      typeof part.content === 'string'
        ? [part.content]
        : part.content.flatMap((inner) => (inner.type === 'text' ? [inner.text] : [])),
    );
  }
  return [];
}

const guardOptions: OptionShape<PromptInjectionGuardOptions> = {
  patterns: true,
  extraPatterns: true,
  action: true,
  threshold: true,
  checkToolResults: true,
  scope: true,
  onDetect: true,
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
 * report in `response.metadata.promptInjection` (execute) and `context.state` (both modes).
 *
 * @example
 * const bridge = new Bridge({
 *   backend,
 *   middleware: [createRedactionMiddleware(), createPromptInjectionGuard({ action: 'block' })],
 * });
 */
export function createPromptInjectionGuard(options: PromptInjectionGuardOptions = {}): Middleware {
  checkOptions('createPromptInjectionGuard', options, guardOptions);
  const threshold = options.threshold ?? 0.7;
  const action = options.action ?? 'block';
  const checkToolResults = options.checkToolResults ?? false;

  return {
    name: 'prompt-injection-guard',
    async execute(request, next, context) {
      const findings: InjectionFinding[] = [];
      let highest = 0;
      let lastUser = -1;
      request.messages.forEach((message, index) => {
        if (message.role === 'user') lastUser = index;
      });
      request.messages.forEach((message, index) => {
        if (options.scope === 'last' && message.role === 'user' && index !== lastUser) return;
        if (message.role !== 'user' && message.role !== 'tool') return;
        for (const text of textsOf(message, checkToolResults)) {
          const assessment = detectPromptInjection(text, options);
          highest = Math.max(highest, assessment.score);
          if (assessment.score >= threshold) {
            findings.push({ messageIndex: index, role: message.role, ...assessment });
            break;
          }
        }
      });

      const report: InjectionReport = { flagged: findings.length > 0, score: highest, findings };
      PROMPT_INJECTION_STATE.set(context.state, report);
      if (report.flagged) {
        try {
          options.onDetect?.(report, context.requestId);
        } catch {
          // An observer's failure must not change the guard's decision.
        }
      }
      const first = findings[0];
      if (action === 'block' && first) {
        const kinds = [...new Set(first.matches.map((match) => match.category))].join(', ');
        throw new InvalidRequestError({
          message: `The request was refused: messages[${first.messageIndex}] looks like a prompt injection (${kinds})`,
          code: 'prompt_injection_detected',
          param: `messages[${first.messageIndex}]`,
        });
      }

      const reply = await next(request);
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
