import { AiMateyError, redactSecrets } from 'ai.matey.core';

/** One line for stderr: the error's kind and status where typed, its message, no secrets. */
export function describeError(error: unknown): string {
  if (AiMateyError.isInstance(error)) {
    const status = error.status ? ` ${error.status}` : '';
    const provider = error.provider ? ` from ${error.provider}` : '';
    return `${error.kind}${status}${provider}: ${error.message}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(message);
}
