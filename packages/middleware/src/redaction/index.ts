import {
  type ChatResponse,
  type ChatStream,
  checkOptions,
  InvalidRequestError,
  type Message,
  type Middleware,
  mapReply,
  type OptionShape,
  type Role,
  StateKey,
} from 'ai.matey.core';
import type { GuardrailVerdictEvent } from '../guardrails/index.ts';
import { redactTextStream } from './redact-stream.ts';
import { redactionReporter, reportedAtEnd } from './redaction-verdicts.ts';
import { addCounts, type RedactionCounts, Redactor, type RedactorOptions } from './redactor.ts';

export type { CustomPiiPattern, PiiCategory } from './detectors.ts';
export { REDACTION_GUARDRAIL } from './redaction-verdicts.ts';
export { type RedactionCounts, type RedactionResult, Redactor, type RedactorOptions } from './redactor.ts';

/** What the middleware reports in `response.metadata.redactions` and `context.state.get('redactions')`. */
export interface RedactionReport {
  request: RedactionCounts;
  /** Present when responses are redacted. */
  response?: RedactionCounts;
}

export interface RedactionOptions extends RedactorOptions {
  /**
   * `redact` (default) replaces personal data and sends the request on; `reject` refuses the
   * request with `InvalidRequestError` (code `pii_detected`) and never sends it.
   */
  action?: 'redact' | 'reject';
  /**
   * Messages of these roles are redacted. Default: `user`, `assistant` and `tool` — not
   * `system`, which is the application's own text (a support address in it is not a leak).
   */
  roles?: readonly Role[];
  /** Also redact the text of replies, streamed deltas included (default false). */
  redactResponses?: boolean;
  /** Most characters a streamed text part holds back while a match may still be growing (default 256). */
  maxHoldChars?: number;
  /**
   * Each call's outcome as a guardrail verdict (`pii-redaction`): per phase (`input`, and
   * `output` when replies are redacted) `rewrite` when data was replaced, `block` when `reject`
   * refused the request, else `pass` (the gateway counts them in `/metrics`).
   */
  onVerdict?: (event: GuardrailVerdictEvent) => void;
}

/** Where the redaction middleware leaves its report in `context.state` (`'redactions'`). */
export const REDACTIONS_STATE = new StateKey<RedactionReport>('redactions');

const redactionOptions: OptionShape<RedactionOptions> = {
  categories: true,
  customPatterns: true,
  replacements: true,
  action: true,
  roles: true,
  redactResponses: true,
  maxHoldChars: true,
  onVerdict: true,
};

/**
 * Redacts personal data from requests before they leave (the pipeline's "PII detection &
 * redaction" stage, ahead of the prompt-injection check and the cache, so neither the provider
 * nor the cache ever sees it), and optionally from replies.
 *
 * In requests, text, tool-call arguments and tool results are redacted; images, files and
 * reasoning (whose text providers sign) are not. In replies, text is redacted and tool calls are
 * left alone (your tools may need the data). Streamed text is redacted as it flows, holding back
 * only a delta's unfinished last word (see `redactTextStream`). Counts of what was replaced go
 * to `response.metadata.redactions` and `context.state.get('redactions')`; the data never does.
 *
 * @example
 * const bridge = new Bridge({
 *   backend,
 *   middleware: [createRedactionMiddleware({ categories: ['email', 'phone', 'card', 'ssn'] })],
 * });
 * await bridge.execute({ messages: [{ role: 'user', content: 'I am bob@example.com' }] });
 * // the backend received 'I am [EMAIL]'
 */
export function createRedactionMiddleware(options: RedactionOptions = {}): Middleware {
  checkOptions('createRedactionMiddleware', options, redactionOptions);
  const { categories, customPatterns, replacements } = options;
  const redactor = new Redactor({ categories, customPatterns, replacements });
  const roles = new Set<Role>(options.roles ?? ['user', 'assistant', 'tool']);
  const reject = options.action === 'reject';

  return {
    name: 'redaction',
    async execute(request, next, context) {
      const reportVerdict = redactionReporter(options.onVerdict, request, context);
      const requestCounts: RedactionCounts = {};
      const messages = request.messages.map((message, index) => {
        if (!roles.has(message.role)) return message;
        const counts: RedactionCounts = {};
        const redacted = redactMessage(message, redactor, counts);
        if (reject && Object.keys(counts).length > 0) {
          reportVerdict('input', counts, true);
          throw new InvalidRequestError({
            message: `The request holds personal data (${Object.keys(counts).join(', ')}) and was not sent`,
            code: 'pii_detected',
            param: `messages[${index}]`,
          });
        }
        addCounts(requestCounts, counts);
        return redacted;
      });
      const report: RedactionReport = { request: requestCounts };
      if (options.redactResponses) report.response = {};
      REDACTIONS_STATE.set(context.state, report);
      reportVerdict('input', requestCounts);

      const reply = await next({ ...request, messages });
      return mapReply(reply, {
        response: (plain) => {
          if (!options.redactResponses)
            return { ...plain, metadata: { ...plain.metadata, redactions: report } };
          const response = redactResponse(plain, redactor, report);
          reportVerdict('output', report.response ?? {});
          return { ...response, metadata: { ...response.metadata, redactions: report } };
        },
        ...(options.redactResponses
          ? {
              stream: (stream: ChatStream) => {
                const responseCounts: RedactionCounts = {};
                report.response = responseCounts;
                const redacted = redactTextStream(
                  stream,
                  redactor,
                  (counts) => Object.assign(responseCounts, counts),
                  options.maxHoldChars,
                );
                return reportedAtEnd(redacted, () => reportVerdict('output', responseCounts));
              },
            }
          : {}),
      });
    },
  };
}

function redactResponse(response: ChatResponse, redactor: Redactor, report: RedactionReport): ChatResponse {
  const counts: RedactionCounts = {};
  const content = response.content.map((part) => {
    if (part.type !== 'text') return part;
    const result = redactor.redact(part.text);
    addCounts(counts, result.counts);
    return { ...part, text: result.text };
  });
  report.response = counts;
  return { ...response, content };
}

function redactMessage(message: Message, redactor: Redactor, counts: RedactionCounts): Message {
  const redact = (text: string) => {
    const result = redactor.redact(text);
    addCounts(counts, result.counts);
    return result.text;
  };
  switch (message.role) {
    case 'system':
      return {
        ...message,
        content:
          typeof message.content === 'string'
            ? redact(message.content)
            : message.content.map((part) => ({ ...part, text: redact(part.text) })),
      };
    case 'user':
      return {
        ...message,
        content:
          typeof message.content === 'string'
            ? redact(message.content)
            : message.content.map((part) =>
                part.type === 'text' ? { ...part, text: redact(part.text) } : part,
              ),
      };
    case 'assistant':
      return {
        ...message,
        content:
          typeof message.content === 'string'
            ? redact(message.content)
            : message.content.map((part) => {
                if (part.type === 'text') return { ...part, text: redact(part.text) };
                if (part.type === 'tool-call') return { ...part, arguments: redact(part.arguments) };
                return part;
              }),
      };
    case 'tool':
      return {
        ...message,
        content: message.content.map((part) => ({
          ...part,
          content:
            typeof part.content === 'string'
              ? redact(part.content)
              : part.content.map((inner) =>
                  inner.type === 'text' ? { ...inner, text: redact(inner.text) } : inner,
                ),
        })),
      };
  }
}
