import { scrubRegisteredSecrets } from './secret-registry.ts';

/**
 * Patterns of credentials that must never leave the process in a message, log line or
 * response: provider API keys, bearer tokens and `key=` query parameters.
 */
const SECRET_PATTERNS: RegExp[] = [
  /\b(sk|rk|pk)-(?:ant-|proj-|live-|test-)?[A-Za-z0-9_*-]{8,}/g,
  /\bgsk_[A-Za-z0-9]{8,}/g,
  /\bxai-[A-Za-z0-9]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /([?&](?:key|api_key|apikey)=)[^&\s"']+/gi,
];

/**
 * A cheap first look: every pattern above starts with one of these. Most strings (model names,
 * ids, messages) contain none, and skip the replacements entirely.
 */
const MAYBE_SECRET = /(?:sk|rk|pk)-|gsk_|xai-|AIza|bearer\s|[?&](?:key|api_key|apikey)=/i;

/**
 * Replaces every registered secret (`registerSecret`, matched exactly) and anything that looks
 * like a credential with `[redacted]`. Every path out of ai.matey (error messages, log lines,
 * gateway replies, stream error events, WebSocket frames, metric labels) goes through it.
 */
export function redactSecrets(text: string): string {
  let out = scrubRegisteredSecrets(text);
  if (!MAYBE_SECRET.test(out)) return out;
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, first: unknown) => {
      // Patterns without a capture group pass the match offset (a number) here.
      if (typeof first !== 'string') return '[redacted]';
      if (/^bearer$/i.test(first)) return `${first} [redacted]`;
      if (first.startsWith('?') || first.startsWith('&')) return `${first}[redacted]`;
      return '[redacted]';
    });
  }
  return out;
}
