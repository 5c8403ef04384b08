import type { AssistantContentPart, ProviderMetadata, Warning } from 'ai.matey.core';
import { mintId } from '../shared/ids.ts';
import { parseArguments } from '../shared/tool-arguments.ts';
import { GEMINI_METADATA_KEY, type GeminiPart } from './gemini-types.ts';

/** The thought signature a part carries for Gemini (under `gemini`, or `google` as the AI SDK names it). */
export function thoughtSignatureOf(metadata: ProviderMetadata | undefined): string | undefined {
  const value = metadata?.[GEMINI_METADATA_KEY]?.thoughtSignature ?? metadata?.google?.thoughtSignature;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `providerMetadata` holding a thought signature, or nothing when there is none. */
export function signatureMetadata(signature: string | undefined): { providerMetadata?: ProviderMetadata } {
  return signature === undefined
    ? {}
    : { providerMetadata: { [GEMINI_METADATA_KEY]: { thoughtSignature: signature } } };
}

/**
 * A model-turn part in Gemini's shape. A reasoning part's signature is sent only when it is
 * Gemini's own (in `providerMetadata`) unless `trustSignature` says the `signature` field may be
 * used (a server answering a Gemini client, which hands it back to us and nobody else).
 */
export function assistantPartToGemini(
  part: AssistantContentPart,
  options: { trustSignature?: boolean } = {},
): GeminiPart | undefined {
  const signature = thoughtSignatureOf(part.providerMetadata);
  const withSignature = signature === undefined ? {} : { thoughtSignature: signature };
  switch (part.type) {
    case 'text':
      return { text: part.text, ...withSignature };
    case 'reasoning': {
      const reasoningSignature = signature ?? (options.trustSignature ? part.signature : undefined);
      if (part.text === '' && reasoningSignature === undefined) return undefined;
      return {
        text: part.text,
        thought: true,
        ...(reasoningSignature === undefined ? {} : { thoughtSignature: reasoningSignature }),
      };
    }
    case 'tool-call':
      return {
        functionCall: { id: part.toolCallId, name: part.toolName, args: parseArguments(part.arguments) },
        ...withSignature,
      };
  }
}

/**
 * Gemini model-turn parts as spec content, in order. Function calls without an id get a minted
 * one; thought signatures move into `providerMetadata.gemini` (and a reasoning part's
 * `signature`); an empty text part is kept only when it carries a signature, since Gemini
 * needs that signature back. Parts the spec cannot hold in a reply are reported.
 */
export function modelPartsToSpec(
  parts: GeminiPart[] | undefined,
  warnings: Warning[],
): AssistantContentPart[] {
  const content: AssistantContentPart[] = [];
  for (const part of parts ?? []) {
    const signature = part.thoughtSignature || undefined;
    if (part.functionCall) {
      content.push({
        type: 'tool-call',
        toolCallId: part.functionCall.id || mintId('call_'),
        toolName: part.functionCall.name ?? '',
        arguments: JSON.stringify(part.functionCall.args ?? {}),
        ...signatureMetadata(signature),
      });
    } else if (typeof part.text === 'string') {
      if (part.thought === true) {
        content.push({
          type: 'reasoning',
          text: part.text,
          ...(signature === undefined ? {} : { signature }),
          ...signatureMetadata(signature),
        });
      } else if (part.text !== '' || signature !== undefined) {
        content.push({ type: 'text', text: part.text, ...signatureMetadata(signature) });
      }
    } else if (signature !== undefined && Object.keys(part).length === 1) {
      // A bare signature part: keep it on an empty text part so it goes back to Gemini.
      content.push({ type: 'text', text: '', ...signatureMetadata(signature) });
    } else {
      const kind = Object.keys(part).find((key) => key !== 'thoughtSignature') ?? 'unknown';
      warnings.push({
        type: 'unsupported-content',
        setting: kind,
        message: `Gemini replied with a "${kind}" part, which a chat response cannot hold; it was left out`,
      });
    }
  }
  return content;
}
