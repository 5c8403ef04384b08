import type {
  AssistantContentPart,
  DataSource,
  FilePart,
  ImagePart,
  ProviderMetadata,
  TextPart,
} from 'ai.matey.core';
import { canonicalArguments } from '../shared/tool-arguments.ts';
import { utf8ToBase64 } from './anthropic-base64.ts';
import type {
  AnthropicCacheControl,
  AnthropicDocumentSource,
  AnthropicImageSource,
  AnthropicResponseBlock,
} from './anthropic-types.ts';

/**
 * Anthropic content blocks as spec parts: the inverse of `anthropic-content-encoder.ts`, used
 * for inbound requests and for replies alike.
 */

/** `providerMetadata.anthropic` from the fields that have values, or nothing. */
export function anthropicMetadata(values: Record<string, unknown>): { providerMetadata?: ProviderMetadata } {
  const defined = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
  return Object.keys(defined).length > 0 ? { providerMetadata: { anthropic: defined } } : {};
}

export function decodeTextBlock(block: {
  text: string;
  citations?: unknown[] | null | undefined;
  cache_control?: AnthropicCacheControl | undefined;
}): TextPart {
  return {
    type: 'text',
    text: block.text,
    ...anthropicMetadata({
      citations: block.citations && block.citations.length > 0 ? block.citations : undefined,
      cacheControl: block.cache_control,
    }),
  };
}

function decodeSource(source: AnthropicImageSource | AnthropicDocumentSource): DataSource {
  if (source.type === 'url') return { kind: 'url', url: source.url };
  if (source.type === 'text')
    return { kind: 'base64', mediaType: source.media_type, data: utf8ToBase64(source.data) };
  return { kind: 'base64', mediaType: source.media_type, data: source.data };
}

export function decodeImageBlock(block: {
  source: AnthropicImageSource;
  cache_control?: AnthropicCacheControl | undefined;
}): ImagePart {
  return {
    type: 'image',
    source: decodeSource(block.source),
    ...anthropicMetadata({ cacheControl: block.cache_control }),
  };
}

export function decodeDocumentBlock(block: {
  source: AnthropicDocumentSource;
  title?: string | undefined;
  context?: string | undefined;
  citations?: Record<string, unknown> | undefined;
  cache_control?: AnthropicCacheControl | undefined;
}): FilePart {
  return {
    type: 'file',
    source: decodeSource(block.source),
    ...(block.title !== undefined ? { filename: block.title } : {}),
    ...anthropicMetadata({
      context: block.context,
      citations: block.citations,
      cacheControl: block.cache_control,
    }),
  };
}

/** JSON text of a `tool_use` input object, canonical so a streamed call compares equal. */
export function toolInputText(input: unknown): string {
  return canonicalArguments(JSON.stringify(input ?? {}));
}

/**
 * An assistant block as a spec part; `undefined` for a block the spec has no part for
 * (server tool blocks, `fallback`, …), which the caller keeps elsewhere.
 */
export function decodeAssistantBlock(block: AnthropicResponseBlock): AssistantContentPart | undefined {
  switch (block.type) {
    case 'text':
      return decodeTextBlock(block as Parameters<typeof decodeTextBlock>[0]);
    case 'thinking': {
      const { thinking, signature } = block as { thinking: string; signature?: string };
      return { type: 'reasoning', text: thinking, ...(signature ? { signature } : {}) };
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: (block as { data: string }).data };
    case 'tool_use': {
      const { id, name, input, cache_control } = block as {
        id: string;
        name: string;
        input: unknown;
        cache_control?: AnthropicCacheControl;
      };
      return {
        type: 'tool-call',
        toolCallId: id,
        toolName: name,
        arguments: toolInputText(input),
        ...anthropicMetadata({ cacheControl: cache_control }),
      };
    }
    default:
      return undefined;
  }
}
