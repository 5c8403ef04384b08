import type {
  DataSource,
  FilePart,
  ImagePart,
  ProviderMetadata,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  UserContentPart,
  Warning,
} from 'ai.matey.core';
import { sourceFromUrl } from '../shared/data-url.ts';
import { parseArguments } from '../shared/tool-arguments.ts';
import { base64ToUtf8 } from './anthropic-base64.ts';
import type {
  AnthropicCacheControl,
  AnthropicContentBlock,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicImageSource,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
  AnthropicToolUseBlock,
} from './anthropic-types.ts';

/**
 * Spec content parts as Anthropic content blocks. Anthropic-only block fields ride on a part's
 * `providerMetadata.anthropic`: `cacheControl` (→ `cache_control`), `citations`, and a
 * document's `context`.
 */

type WithMetadata = { providerMetadata?: ProviderMetadata };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ cache_control }` from a part's metadata, or nothing. */
export function cacheControlOf(part: WithMetadata): { cache_control?: AnthropicCacheControl } {
  const value = part.providerMetadata?.anthropic?.cacheControl;
  return isRecord(value) && typeof value.type === 'string'
    ? { cache_control: value as AnthropicCacheControl }
    : {};
}

export function encodeTextBlock(part: TextPart): AnthropicTextBlock {
  const citations = part.providerMetadata?.anthropic?.citations;
  return {
    type: 'text',
    text: part.text,
    ...(Array.isArray(citations) ? { citations } : {}),
    ...cacheControlOf(part),
  };
}

/** A base64 or URL source; a `data:` URL becomes base64, as Anthropic wants. */
function encodeSource(source: DataSource): AnthropicImageSource {
  const resolved =
    source.kind === 'url' && source.url.startsWith('data:')
      ? sourceFromUrl(source.url, source.mediaType)
      : source;
  return resolved.kind === 'base64'
    ? { type: 'base64', media_type: resolved.mediaType, data: resolved.data }
    : { type: 'url', url: resolved.url };
}

function mediaTypeOf(source: DataSource): string | undefined {
  if (source.kind === 'base64') return source.mediaType;
  if (source.url.startsWith('data:')) return sourceFromUrl(source.url).mediaType;
  return source.mediaType;
}

export function encodeImageBlock(part: ImagePart | FilePart): AnthropicImageBlock {
  return { type: 'image', source: encodeSource(part.source), ...cacheControlOf(part) };
}

function encodeDocumentBlock(part: FilePart, mediaType: string | undefined): AnthropicDocumentBlock {
  const metadata = part.providerMetadata?.anthropic;
  const source = encodeSource(part.source);
  const block: AnthropicDocumentBlock = {
    type: 'document',
    // Anthropic reads plain-text documents as text, not base64.
    source:
      source.type === 'base64' && mediaType === 'text/plain'
        ? { type: 'text', media_type: 'text/plain', data: base64ToUtf8(source.data) }
        : source,
  };
  if (part.filename !== undefined) block.title = part.filename;
  if (typeof metadata?.context === 'string') block.context = metadata.context;
  if (isRecord(metadata?.citations)) block.citations = metadata.citations;
  return { ...block, ...cacheControlOf(part) };
}

/**
 * A file as an image block (image media types) or a document block (PDF, plain text, or a URL
 * of unknown type, which Anthropic fetches as a PDF); anything else cannot be sent.
 */
export function encodeFileBlock(part: FilePart, warnings: Warning[]): AnthropicContentBlock | undefined {
  const mediaType = mediaTypeOf(part.source);
  if (mediaType?.startsWith('image/')) return encodeImageBlock(part);
  if (mediaType === 'application/pdf' || mediaType === 'text/plain' || mediaType === undefined)
    return encodeDocumentBlock(part, mediaType);
  warnings.push({
    type: 'unsupported-content',
    setting: 'messages',
    message: `Anthropic does not accept ${mediaType} files; the file was left out.`,
  });
  return undefined;
}

/** A user part as a block; empty text is left out (Anthropic rejects empty text blocks). */
export function encodeUserBlock(
  part: UserContentPart,
  warnings: Warning[],
): AnthropicContentBlock | undefined {
  if (part.type === 'text') return part.text === '' ? undefined : encodeTextBlock(part);
  if (part.type === 'image') return encodeImageBlock(part);
  return encodeFileBlock(part, warnings);
}

export function encodeToolUseBlock(part: ToolCallPart): AnthropicToolUseBlock {
  return {
    type: 'tool_use',
    id: part.toolCallId,
    name: part.toolName,
    input: parseArguments(part.arguments),
    ...cacheControlOf(part),
  };
}

export function encodeToolResultBlock(part: ToolResultPart): AnthropicToolResultBlock {
  const block: AnthropicToolResultBlock = {
    type: 'tool_result',
    tool_use_id: part.toolCallId,
    content:
      typeof part.content === 'string'
        ? part.content
        : part.content.map((item) => (item.type === 'text' ? encodeTextBlock(item) : encodeImageBlock(item))),
  };
  if (part.isError !== undefined) block.is_error = part.isError;
  // Content the spec has no part for (tool search's `tool_reference`), kept by the decoder.
  const other = part.providerMetadata?.anthropic?.otherContent;
  if (Array.isArray(other) && other.length > 0)
    block.content = [
      ...(Array.isArray(block.content) ? block.content : []),
      ...other,
    ] as typeof block.content;
  return { ...block, ...cacheControlOf(part) };
}

/**
 * Reasoning as a `thinking` block (with its signature) or a `redacted_thinking` block. Anthropic
 * refuses a thinking block without its signature, so unsigned reasoning (from another provider)
 * is left out, with a warning.
 */
export function encodeReasoningBlock(
  part: ReasoningPart,
  warnings: Warning[],
): AnthropicContentBlock | undefined {
  if (part.redactedData !== undefined) return { type: 'redacted_thinking', data: part.redactedData };
  if (part.signature) return { type: 'thinking', thinking: part.text, signature: part.signature };
  warnings.push({
    type: 'unsupported-content',
    setting: 'messages',
    message: 'Reasoning without an Anthropic signature cannot be sent back to Anthropic; it was left out.',
  });
  return undefined;
}
