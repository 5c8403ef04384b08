import type { ProviderMetadata, ReasoningPart } from 'ai.matey.core';
import { isRecord } from './responses-metadata.ts';

/**
 * Reasoning from another provider (an Anthropic thinking signature, redacted thinking, Gemini's
 * thought signature) travels to a Responses client inside `encrypted_content`, marked with this
 * prefix, and comes back whole on the next turn: OpenAI's own encrypted reasoning never starts so.
 */
const PREFIX = 'matey.v1:';

interface ForeignReasoning {
  signature?: string;
  redactedData?: string;
  providerMetadata?: ProviderMetadata;
}

/** The `encrypted_content` that carries a foreign reasoning part's signature, or undefined when it has none. */
export function wrapForeignReasoning(part: ReasoningPart): string | undefined {
  const carried: ForeignReasoning = {};
  if (part.signature !== undefined) carried.signature = part.signature;
  if (part.redactedData !== undefined) carried.redactedData = part.redactedData;
  if (part.providerMetadata !== undefined) carried.providerMetadata = part.providerMetadata;
  if (Object.keys(carried).length === 0) return undefined;
  return PREFIX + toBase64Url(JSON.stringify(carried));
}

/** The foreign reasoning fields inside an `encrypted_content`, or undefined when it is OpenAI's own. */
export function unwrapForeignReasoning(encrypted: unknown): ForeignReasoning | undefined {
  if (typeof encrypted !== 'string' || !encrypted.startsWith(PREFIX)) return undefined;
  try {
    const value: unknown = JSON.parse(fromBase64Url(encrypted.slice(PREFIX.length)));
    if (!isRecord(value)) return undefined;
    const out: ForeignReasoning = {};
    if (typeof value.signature === 'string') out.signature = value.signature;
    if (typeof value.redactedData === 'string') out.redactedData = value.redactedData;
    if (isRecord(value.providerMetadata)) out.providerMetadata = value.providerMetadata as ProviderMetadata;
    return out;
  } catch {
    return undefined;
  }
}

// btoa/atob over UTF-8 bytes: this package runs in browsers too, where there is no Buffer.
function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
