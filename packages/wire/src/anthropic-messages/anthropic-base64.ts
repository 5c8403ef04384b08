/** UTF-8 text as base64 (Anthropic sends plain-text documents as text; the spec keeps bytes). */
export function utf8ToBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64 bytes read as UTF-8 text. */
export function base64ToUtf8(data: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(data), (char) => char.charCodeAt(0)));
}
