import type { DataSource, FilePart, ImagePart, Warning } from 'ai.matey.core';
import { sourceFromUrl } from '../shared/data-url.ts';
import type { GeminiPart } from './gemini-types.ts';

const MEDIA_TYPES_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  mp3: 'audio/mp3',
  wav: 'audio/wav',
  mp4: 'video/mp4',
};

/** The media type a URL's file extension suggests, if it is one Gemini knows. */
export function mediaTypeFromUrl(url: string): string | undefined {
  let pathname = url;
  try {
    pathname = new URL(url).pathname;
  } catch {
    // not an absolute URL: read the extension from the text as it is
  }
  const extension = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : MEDIA_TYPES_BY_EXTENSION[extension];
}

/**
 * An image or file part as Gemini `inlineData` (base64, and `data:` URLs) or `fileData` (a URL
 * Gemini fetches itself). Gemini wants a media type on both: a URL without one gets it from its
 * extension, and when that fails too the part goes without and a warning says so.
 */
export function mediaPartToGemini(part: ImagePart | FilePart, warnings: Warning[]): GeminiPart {
  const source: DataSource =
    part.source.kind === 'url' ? sourceFromUrl(part.source.url, part.source.mediaType) : part.source;
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const mimeType = source.mediaType ?? mediaTypeFromUrl(source.url);
  if (mimeType === undefined)
    warnings.push({
      type: 'unsupported-content',
      setting: part.type,
      message: `Gemini needs the media type of ${part.type} URL ${source.url.slice(0, 100)}; none was given or guessed, so it was sent without one`,
    });
  return { fileData: { fileUri: source.url, ...(mimeType === undefined ? {} : { mimeType }) } };
}

/** A Gemini `inlineData` / `fileData` part as a spec image (for `image/*`) or file part. */
export function geminiMediaToSpec(part: GeminiPart): ImagePart | FilePart | undefined {
  let source: DataSource | undefined;
  if (part.inlineData) {
    source = {
      kind: 'base64',
      data: part.inlineData.data ?? '',
      mediaType: part.inlineData.mimeType ?? 'application/octet-stream',
    };
  } else if (part.fileData?.fileUri) {
    const mediaType = part.fileData.mimeType;
    source = { kind: 'url', url: part.fileData.fileUri, ...(mediaType ? { mediaType } : {}) };
  }
  if (!source) return undefined;
  const mediaType = source.mediaType ?? (source.kind === 'url' ? mediaTypeFromUrl(source.url) : undefined);
  return mediaType?.startsWith('image/') ? { type: 'image', source } : { type: 'file', source };
}
