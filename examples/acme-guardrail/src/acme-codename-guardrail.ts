import type { Guardrail, GuardrailCheck, GuardrailVerdict } from 'ai.matey.middleware';

export interface AcmeCodenameOptions {
  /** Acme's internal project code names, which must never reach a customer. */
  codenames: readonly string[];
  /** `block` (default) stops the text; `rewrite` replaces each name with `[REDACTED]`. */
  action?: 'block' | 'rewrite';
}

/** A trailing run of letters and digits: it may be the start of a code name the next delta finishes. */
const WORD_TAIL = /[\p{L}\p{N}-]+$/u;

/**
 * Acme's own check: its project code names in the request or the answer. Names are matched whole,
 * case-insensitively; in a stream, the window's last word is kept back for the next check
 * (`holdFrom`), so a name split across two deltas is still found.
 */
export function acmeCodenameGuardrail(options: AcmeCodenameOptions): Guardrail {
  const escaped = options.codenames.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`\\b(?:${escaped.join('|')})\\b`, 'giu');
  const action = options.action ?? 'block';

  return {
    name: 'acme-codenames',
    phases: ['input', 'output'],
    check({ text, phase }: GuardrailCheck): GuardrailVerdict {
      const found = text.match(pattern);
      if (!found) return { verdict: 'pass' };
      const reason = `mentions an internal code name (${found.length} time${found.length === 1 ? '' : 's'})`;
      if (action === 'rewrite')
        return { verdict: 'rewrite', text: text.replace(pattern, '[REDACTED]'), reason };
      // A customer may ask about a code name they heard; only the answer must never say one.
      return phase === 'input' ? { verdict: 'flag', reason } : { verdict: 'block', reason };
    },
    holdFrom(text: string): number {
      return WORD_TAIL.exec(text)?.index ?? text.length;
    },
  };
}
