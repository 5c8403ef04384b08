import type { Guardrail, GuardrailPlugin } from 'ai.matey.middleware';
import { acmeCodenameGuardrail } from './acme-codename-guardrail.ts';

/**
 * What the gateway calls for a `guardrails:` entry whose `use` is `@acme/matey-guardrail` (or a
 * path to this module), with the entry's `options`. Config is untrusted input: check it here and
 * throw a `TypeError` that says what is wrong; the gateway refuses to start and names the entry.
 */
export function createGuardrail(options: Record<string, unknown>): Guardrail {
  const { codenames, action } = options;
  if (
    !Array.isArray(codenames) ||
    !codenames.every((name) => typeof name === 'string') ||
    codenames.length === 0
  ) {
    throw new TypeError('options.codenames must be a non-empty list of strings');
  }
  if (action !== undefined && action !== 'block' && action !== 'rewrite') {
    throw new TypeError("options.action must be 'block' or 'rewrite'");
  }
  return acmeCodenameGuardrail({ codenames, ...(action ? { action } : {}) });
}

/** The same as one object, for loaders that take the default export; typed to the contract. */
export default { createGuardrail } satisfies GuardrailPlugin;
