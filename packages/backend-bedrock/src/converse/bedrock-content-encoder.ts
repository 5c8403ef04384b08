import {
  type AssistantContentPart,
  type DataSource,
  type ProviderMetadata,
  type ToolResultPart,
  UnsupportedFeatureError,
  type UserContentPart,
  type Warning,
} from 'ai.matey.core';
import { parseArguments } from 'ai.matey.wire';
import {
  BEDROCK_METADATA_KEY,
  type BedrockContentBlock,
  type BedrockToolResultContent,
} from './bedrock-types.ts';

const IMAGE_FORMATS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const DOCUMENT_FORMATS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};

function unsupported(message: string): UnsupportedFeatureError {
  return new UnsupportedFeatureError({ message, provider: 'bedrock', code: 'unsupported_content' });
}

/** Bedrock takes media inline (`bytes`, base64 in JSON) or from S3; a web URL it cannot fetch. */
function mediaSource(source: DataSource, what: string): { bytes: string } | { s3Location: { uri: string } } {
  if (source.kind === 'base64') return { bytes: source.data };
  if (source.url.startsWith('s3://')) return { s3Location: { uri: source.url } };
  throw unsupported(
    `Bedrock takes ${what} inline (base64) or from s3://, not from ${source.url.split(':')[0]} URLs`,
  );
}

function format(table: Record<string, string>, source: DataSource, what: string): string {
  const mediaType = (source.mediaType ?? '').toLowerCase();
  const known = Object.hasOwn(table, mediaType) ? table[mediaType] : undefined;
  if (known) return known;
  const fromUrl = source.kind === 'url' ? /\.([a-z0-9]+)$/i.exec(source.url)?.[1]?.toLowerCase() : undefined;
  if (fromUrl && Object.values(table).includes(fromUrl === 'jpg' ? 'jpeg' : fromUrl))
    return fromUrl === 'jpg' ? 'jpeg' : fromUrl;
  throw unsupported(`Bedrock does not take ${what} of type ${source.mediaType ?? 'unknown'}`);
}

/** A `cachePoint` block after a part that asks for one (`providerMetadata.bedrock.cachePoint`). */
export function cachePointAfter(metadata: ProviderMetadata | undefined): BedrockContentBlock[] {
  const cachePoint = metadata?.[BEDROCK_METADATA_KEY]?.cachePoint;
  return typeof cachePoint === 'object' && cachePoint !== null
    ? [{ cachePoint: cachePoint as { type: string } }]
    : [];
}

/** A user's text, image or file part as Converse blocks. */
export function encodeUserPart(part: UserContentPart): BedrockContentBlock[] {
  const after = cachePointAfter(part.providerMetadata);
  switch (part.type) {
    case 'text':
      return part.text === '' ? after : [{ text: part.text }, ...after];
    case 'image':
      return [
        {
          image: {
            format: format(IMAGE_FORMATS, part.source, 'images'),
            source: mediaSource(part.source, 'images'),
          },
        },
        ...after,
      ];
    case 'file':
      return [
        {
          document: {
            format: format(DOCUMENT_FORMATS, part.source, 'documents'),
            // Bedrock allows letters, digits, spaces, hyphens, parentheses and brackets only.
            name:
              (part.filename ?? 'document')
                .replace(/\.[^.]*$/, '')
                .replace(/[^A-Za-z0-9 \-()[\]]/g, ' ')
                .trim() || 'document',
            source: mediaSource(part.source, 'documents'),
          },
        },
        ...after,
      ];
  }
}

/** An assistant's text, reasoning or tool call as Converse blocks. */
export function encodeAssistantPart(part: AssistantContentPart, warnings: Warning[]): BedrockContentBlock[] {
  const after = cachePointAfter(part.providerMetadata);
  switch (part.type) {
    case 'text':
      return part.text === '' ? after : [{ text: part.text }, ...after];
    case 'reasoning':
      if (part.redactedData !== undefined)
        return [{ reasoningContent: { redactedContent: part.redactedData } }];
      if (part.signature === undefined)
        warnings.push({
          type: 'unsupported-content',
          setting: 'messages',
          message: 'Reasoning without a signature was sent back to Bedrock; the model may refuse it.',
        });
      return [
        {
          reasoningContent: {
            reasoningText: {
              text: part.text,
              ...(part.signature !== undefined ? { signature: part.signature } : {}),
            },
          },
        },
      ];
    case 'tool-call':
      return [
        {
          toolUse: { toolUseId: part.toolCallId, name: part.toolName, input: parseArguments(part.arguments) },
        },
        ...after,
      ];
  }
}

/** A tool result as a Converse `toolResult` block (text, or images beside text). */
export function encodeToolResult(part: ToolResultPart): BedrockContentBlock {
  const content: BedrockToolResultContent[] =
    typeof part.content === 'string'
      ? [{ text: part.content }]
      : part.content.map((item): BedrockToolResultContent => {
          if (item.type === 'text') return { text: item.text };
          return {
            image: {
              format: format(IMAGE_FORMATS, item.source, 'images'),
              source: mediaSource(item.source, 'images'),
            },
          };
        });
  return {
    toolResult: {
      toolUseId: part.toolCallId,
      content,
      ...(part.isError ? { status: 'error' as const } : {}),
    },
  };
}
