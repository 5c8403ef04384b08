import type { AiMateyError, ChatRequest } from 'ai.matey.core';

/** Where a check runs: on the request's text before it is sent, or on the answer's text. */
export type GuardrailPhase = 'input' | 'output';

/**
 * What a check decides about a text:
 * - `pass`: nothing to say;
 * - `flag`: let it through, but warn (the `x-matey-guardrail` header, a log line, a metric);
 * - `block`: refuse it (input: the request is not sent, the caller gets a 400 in its own format;
 *   output: the answer stops with an error, mid-stream an error event in the caller's format);
 * - `rewrite`: let it through as `text` instead (PII redacted, say).
 */
export type GuardrailVerdict =
  | { verdict: 'pass' }
  | { verdict: 'flag'; reason: string }
  | {
      verdict: 'block';
      reason: string;
      /** The error the caller gets instead of the usual `guardrail_blocked` one (a typed 400 of your own). */
      error?: AiMateyError;
    }
  | { verdict: 'rewrite'; text: string; reason?: string };

/** The name of a verdict, as counted in `/metrics`. */
export type GuardrailVerdictName = GuardrailVerdict['verdict'];

/** One text to judge, and what the check may need to judge it. */
export interface GuardrailCheck {
  phase: GuardrailPhase;
  /**
   * Input: the text of one user message (or tool result). Output: a piece of the answer: the
   * whole text of a plain reply, or one window of a stream.
   */
  text: string;
  /** Input: whose text it is, a user's message or a tool's result. */
  source?: 'user' | 'tool';
  /** Input: the position of that message in `request.messages`. */
  messageIndex?: number;
  /**
   * Output in a stream: the answer's text just before `text` (already sent, so it cannot be
   * rewritten), up to the window size, for a match that straddles two windows. Empty otherwise.
   */
  before: string;
  /** Output: the last piece of this part of the answer (always true for a plain reply). */
  final: boolean;
  /** The whole request (its system prompt, model, metadata); with input rewrites applied. */
  request: ChatRequest;
  /** The caller's gateway key id, when the call came through a gateway with keys. */
  keyId: string | undefined;
  /** Aborted when the caller goes away: stop a slow check (an HTTP call) with it. */
  signal: AbortSignal;
}

/**
 * A check that runs on the input, the output, or both. Write one as a plain object; pass it to
 * `createGuardrailMiddleware`, or export a `createGuardrail(options)` that returns one to load
 * it from the gateway config (see docs/writing-a-guardrail.md).
 *
 * @example
 * const noSwearing: Guardrail = {
 *   name: 'no-swearing',
 *   phases: ['output'],
 *   check: ({ text }) =>
 *     /darn/i.test(text) ? { verdict: 'block', reason: 'swearing' } : { verdict: 'pass' },
 * };
 */
export interface Guardrail {
  /** Names the check in headers, logs, errors and the `guardrail` metrics label. */
  readonly name: string;
  /** The phases it runs in. */
  readonly phases: readonly GuardrailPhase[];
  /**
   * Input: check every user message and tool result (`all`, the default) or only the last user
   * message (`last`, for a check that costs a call).
   */
  readonly inputScope?: 'all' | 'last';
  check(check: GuardrailCheck): GuardrailVerdict | Promise<GuardrailVerdict>;
  /**
   * Output streams: where the text that may still grow into a match begins (an email cut in two
   * by a window). The window keeps that tail back for the next check, within its size limit.
   * Default: nothing is kept back.
   */
  holdFrom?(text: string): number;
}

/** A verdict as reported: which check, in which phase, and why. The text is never in it. */
export interface GuardrailVerdictRecord {
  guardrail: string;
  phase: GuardrailPhase;
  verdict: GuardrailVerdictName;
  reason?: string;
}

/**
 * What a guardrail plug-in module exports for the gateway config to load it (`use:
 * ./acme-guardrail.js` or a package name): a factory that takes the entry's `options`.
 */
export interface GuardrailPlugin {
  createGuardrail(options: Record<string, unknown>): Guardrail | Promise<Guardrail>;
}
