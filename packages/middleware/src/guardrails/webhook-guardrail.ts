import { checkOptions, type OptionShape } from 'ai.matey.core';
import { z } from 'zod';
import { checkChoice, checkPhases } from './check-choice.ts';
import type { Guardrail, GuardrailPhase, GuardrailVerdict } from './guardrail.ts';

export interface WebhookGuardrailOptions {
  /** Where to POST `{ text, phase, model, key }` (JSON). */
  url: string;
  /** The guardrail's name in headers, logs and metrics (default `webhook`). */
  name?: string;
  /** Default both. */
  phases?: readonly GuardrailPhase[];
  /** Longest wait for an answer (default 2000 ms). */
  timeoutMs?: number;
  /**
   * When the service fails (timeout, network, a non-2xx status, an answer of the wrong shape):
   * `false` (default) blocks, fail closed; `true` lets the text through, flagged.
   */
  failOpen?: boolean;
  /** Extra request headers (a token for the service). */
  headers?: Record<string, string>;
  /** Input: `last` user message only (default) or `all` messages (a call each). */
  inputScope?: 'all' | 'last';
}

const webhookOptions: OptionShape<WebhookGuardrailOptions> = {
  url: true,
  name: true,
  phases: true,
  timeoutMs: true,
  failOpen: true,
  headers: true,
  inputScope: true,
};

/** What the service answers. */
const webhookReply = z.discriminatedUnion('verdict', [
  z.object({ verdict: z.literal('pass') }),
  z.object({ verdict: z.literal('flag'), reason: z.string().optional() }),
  z.object({ verdict: z.literal('block'), reason: z.string().optional() }),
  z.object({ verdict: z.literal('rewrite'), text: z.string(), reason: z.string().optional() }),
]);

/**
 * Any external service as a guardrail, with no code: each text is POSTed as JSON
 * `{ text, phase, model, key }` (`key` is the caller's gateway key id, never a secret) and the
 * service answers `{ verdict: 'pass' | 'flag' | 'block' | 'rewrite', text?, reason? }`.
 *
 * @example
 * webhookGuardrail({ url: 'http://127.0.0.1:9000/check', timeoutMs: 500, failOpen: true });
 */
export function webhookGuardrail(options: WebhookGuardrailOptions): Guardrail {
  checkOptions('webhookGuardrail', options, webhookOptions);
  checkPhases('webhookGuardrail', options.phases);
  checkChoice('webhookGuardrail', 'inputScope', options.inputScope, ['all', 'last']);
  if (typeof options.url !== 'string' || !URL.canParse(options.url))
    throw new TypeError('webhookGuardrail: url must be an http(s) URL');
  const name = options.name ?? 'webhook';
  const timeoutMs = options.timeoutMs ?? 2_000;
  const failed = (why: string): GuardrailVerdict =>
    options.failOpen
      ? { verdict: 'flag', reason: `${name} unavailable (${why}), let through` }
      : { verdict: 'block', reason: `${name} unavailable (${why})` };
  return {
    name,
    phases: options.phases ?? ['input', 'output'],
    inputScope: options.inputScope ?? 'last',
    async check({ text, phase, request, keyId, signal }) {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...options.headers },
          body: JSON.stringify({ text, phase, model: request.model ?? null, key: keyId ?? null }),
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        });
      } catch (error) {
        if (signal.aborted) throw error;
        return failed(
          (error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : 'unreachable',
        );
      }
      if (!response.ok) {
        await response.body?.cancel();
        return failed(`status ${response.status}`);
      }
      const parsed = webhookReply.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) return failed('an answer of the wrong shape');
      const reply = parsed.data;
      if (reply.verdict === 'pass' || reply.verdict === 'rewrite') return reply;
      return { verdict: reply.verdict, reason: reply.reason ?? `${name} said ${reply.verdict}` };
    },
  };
}
