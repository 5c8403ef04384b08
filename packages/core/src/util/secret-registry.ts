/** Secrets shorter than this are not registered: scrubbing them would mangle ordinary words. */
export const MIN_SECRET_LENGTH = 8;

const REPLACEMENT = '[redacted]';

interface RegistryState {
  secrets: Set<string>;
  /** Longest first, so a secret that contains another is replaced whole. */
  ordered: string[];
}

// One registry per process, shared by duplicate copies of the package (as the error marker is).
const GLOBAL_KEY = Symbol.for('ai.matey.secret-registry');
const holder = globalThis as { [GLOBAL_KEY]?: RegistryState };
holder[GLOBAL_KEY] ??= { secrets: new Set(), ordered: [] };
const state: RegistryState = holder[GLOBAL_KEY];

/**
 * Registers a secret (a provider API key, a gateway key, a store password) so that it is
 * replaced by `[redacted]` wherever ai.matey writes text out: error messages (every
 * `AiMateyError`), log lines, HTTP error bodies, stream error events, WebSocket frames, metric
 * labels and headers. Matching is exact, not by pattern, so keys of any shape are caught; the
 * URL-encoded and JSON-escaped forms are registered too. Secrets shorter than
 * `MIN_SECRET_LENGTH` (8) characters are ignored: placeholders such as `ollama` stay readable.
 *
 * The registry is process-wide: the gateway fills it at start-up with every configured secret.
 *
 * @example
 * registerSecret(process.env.MISTRAL_API_KEY);
 * scrubSecrets(`upstream said: bad key ${process.env.MISTRAL_API_KEY}`); // 'upstream said: bad key [redacted]'
 */
export function registerSecret(secret: string | undefined): void {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  let added = false;
  for (const form of forms) {
    if (state.secrets.has(form)) continue;
    state.secrets.add(form);
    added = true;
  }
  if (added) state.ordered = [...state.secrets].sort((a, b) => b.length - a.length);
}

/** How many secret forms are registered (for start-up reports and tests). */
export function registeredSecretCount(): number {
  return state.secrets.size;
}

/** Replaces every registered secret in `text` by `[redacted]`; text without one is returned as is. */
export function scrubRegisteredSecrets(text: string): string {
  let out = text;
  for (const secret of state.ordered) {
    if (out.includes(secret)) out = out.replaceAll(secret, REPLACEMENT);
  }
  return out;
}
