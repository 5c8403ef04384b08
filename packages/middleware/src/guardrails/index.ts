import {
  type ChatRequest,
  type ChatResponse,
  ChatStream,
  checkOptions,
  isChatStream,
  type Middleware,
  type OptionShape,
  type StreamEvent,
  type Warning,
} from 'ai.matey.core';
import { checkInput } from './check-input.ts';
import { checkOutput } from './check-output.ts';
import { guardOutputStream } from './guard-output-stream.ts';
import type { Guardrail, GuardrailPhase, GuardrailVerdictRecord } from './guardrail.ts';
import { VerdictTally } from './verdict-tally.ts';

export type {
  Guardrail,
  GuardrailCheck,
  GuardrailPhase,
  GuardrailPlugin,
  GuardrailVerdict,
  GuardrailVerdictName,
  GuardrailVerdictRecord,
} from './guardrail.ts';
export { type ModerationGuardrailOptions, moderationGuardrail } from './moderation-guardrail.ts';
export { type PiiGuardrailOptions, piiGuardrail } from './pii-guardrail.ts';
export {
  type PromptInjectionGuardrailOptions,
  promptInjectionGuardrail,
} from './prompt-injection-guardrail.ts';
export { guardrailBlockedError } from './run-checks.ts';
export { type SystemPromptLeakOptions, systemPromptLeakGuardrail } from './system-prompt-leak-guardrail.ts';
export { type WebhookGuardrailOptions, webhookGuardrail } from './webhook-guardrail.ts';

/** A guardrail for some calls only: those of these gateway keys (ids) and/or these models. */
export interface ScopedGuardrail {
  guardrail: Guardrail;
  /** Key ids (`metadata.apiKeyId`) it applies to; default every call. */
  keys?: readonly string[];
  /** Models it applies to: exact ids (with or without `provider/`) or prefixes ending in `*`. */
  models?: readonly string[];
}

/** A verdict as `onVerdict` receives it: the record and the call it was given in. */
export interface GuardrailVerdictEvent extends GuardrailVerdictRecord {
  requestId: string;
  model: string | undefined;
  keyId: string | undefined;
}

export interface GuardrailMiddlewareOptions {
  guardrails: readonly (Guardrail | ScopedGuardrail)[];
  /** Output streams: most characters of answer held back for checking (default 256). */
  windowChars?: number;
  /** Every verdict, once per guardrail, phase and verdict of a call (for metrics and logs). */
  onVerdict?: (event: GuardrailVerdictEvent) => void;
}

/** The type of `Warning` a flag becomes: the gateway shows it in the `x-matey-guardrail` header. */
export const GUARDRAIL_WARNING = 'guardrail';

const middlewareOptions: OptionShape<GuardrailMiddlewareOptions> = {
  guardrails: true,
  windowChars: true,
  onVerdict: true,
};

/**
 * Runs guardrails on each call: the input checks on the request before it is sent, the output
 * checks on the answer (whole for a plain reply; window by window for a stream, see
 * `guardOutputStream`). A block is a `ContentFilterError` (code `guardrail_blocked`); a flag is a
 * `Warning` of type `guardrail` on the reply; a rewrite changes the text.
 *
 * @example
 * const bridge = new Bridge({
 *   backend,
 *   middleware: [createGuardrailMiddleware({ guardrails: [piiGuardrail(), systemPromptLeakGuardrail()] })],
 * });
 */
export function createGuardrailMiddleware(options: GuardrailMiddlewareOptions): Middleware {
  checkOptions('createGuardrailMiddleware', options, middlewareOptions);
  const rules = options.guardrails.map((rule) => ('guardrail' in rule ? rule : { guardrail: rule }));
  const windowChars = options.windowChars ?? 256;
  return {
    name: 'guardrails',
    async execute(request, next, context) {
      const keyId = typeof request.metadata?.apiKeyId === 'string' ? request.metadata.apiKeyId : undefined;
      const active = rules.filter((rule) => applies(rule, keyId, request.model)).map((r) => r.guardrail);
      if (active.length === 0) return next(request);
      const tally = new VerdictTally();
      const report = (phase: GuardrailPhase) => {
        for (const record of tally.take(phase)) {
          try {
            options.onVerdict?.({ ...record, requestId: context.requestId, model: request.model, keyId });
          } catch {
            // An observer's failure must not change the call.
          }
        }
      };
      const facts = { keyId, signal: context.signal };
      const input = active.filter((g) => g.phases.includes('input'));
      const output = active.filter((g) => g.phases.includes('output'));
      let checked: ChatRequest;
      try {
        checked = await checkInput(request, input, tally, facts);
      } finally {
        report('input');
      }
      const reply = await next(checked);
      const outputFacts = { ...facts, request: checked };
      if (isChatStream(reply)) {
        // Without output checks nothing is held back: the window's delay is theirs alone.
        const events =
          output.length === 0
            ? reply
            : guardOutputStream(reply, output, tally, { windowChars, facts: outputFacts });
        return new ChatStream(reportedStream(withFlags(events, tally), () => report('output')));
      }
      try {
        const response = await checkOutput(reply, output, tally, outputFacts);
        return withWarnings(response, tally);
      } finally {
        report('output');
      }
    },
  };
}

function applies(rule: ScopedGuardrail, keyId: string | undefined, model: string | undefined): boolean {
  if (rule.keys && (keyId === undefined || !rule.keys.includes(keyId))) return false;
  if (!rule.models) return true;
  if (model === undefined) return false;
  const bare = model.slice(model.indexOf('/') + 1);
  return rule.models.some((pattern) =>
    pattern.endsWith('*')
      ? model.startsWith(pattern.slice(0, -1)) || bare.startsWith(pattern.slice(0, -1))
      : pattern === model || pattern === bare,
  );
}

function flagWarnings(tally: VerdictTally, phases: readonly GuardrailPhase[]): Warning[] {
  return phases.flatMap((phase) =>
    tally.flags(phase).map((message) => ({ type: GUARDRAIL_WARNING, setting: phase, message })),
  );
}

function withWarnings(response: ChatResponse, tally: VerdictTally): ChatResponse {
  const warnings = flagWarnings(tally, ['input', 'output']);
  return warnings.length === 0 ? response : { ...response, warnings: [...response.warnings, ...warnings] };
}

/** The input's flags on the start event, so they reach the stream's headers. */
async function* withFlags(
  source: AsyncIterable<StreamEvent>,
  tally: VerdictTally,
): AsyncGenerator<StreamEvent> {
  for await (const event of source) {
    if (event.type !== 'start') {
      yield event;
      continue;
    }
    const warnings = flagWarnings(tally, ['input']);
    yield warnings.length === 0 ? event : { ...event, warnings: [...(event.warnings ?? []), ...warnings] };
  }
}

async function* reportedStream(
  source: AsyncIterable<StreamEvent>,
  onEnd: () => void,
): AsyncGenerator<StreamEvent> {
  try {
    yield* source;
  } finally {
    onEnd();
  }
}
