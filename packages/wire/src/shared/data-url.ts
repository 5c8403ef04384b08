import type { DataSource } from 'ai.matey.core';

/** Reads a `data:` URL into a base64 source; any other URL stays a URL. */
export function sourceFromUrl(url: string, mediaType?: string): DataSource {
  const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (match)
    return {
      kind: 'base64',
      mediaType: match[1] ?? mediaType ?? 'application/octet-stream',
      data: match[2] ?? '',
    };
  return mediaType ? { kind: 'url', url, mediaType } : { kind: 'url', url };
}

/** A `data:` URL for a base64 source, or the URL itself. */
export function sourceToUrl(source: DataSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}
