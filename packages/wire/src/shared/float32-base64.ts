/**
 * A vector as base64 of its little-endian float32 bytes: OpenAI's `encoding_format: 'base64'`
 * (and Voyage's), a quarter of the size of JSON numbers on the wire.
 *
 * @example
 * floatsFromBase64(base64FromFloats([0.5, -1])); // [0.5, -1]
 */
export function base64FromFloats(vector: readonly number[]): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [index, value] of vector.entries()) view.setFloat32(index * 4, value, true);
  let binary = '';
  // In slices: String.fromCharCode takes its bytes as arguments, and arguments are limited.
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

/** The floats of a base64 float32 vector (little-endian); a length not a multiple of 4 bytes is an error. */
export function floatsFromBase64(text: string): number[] {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  if (bytes.length % 4 !== 0) throw new TypeError('A base64 vector must hold whole float32 values');
  const view = new DataView(bytes.buffer);
  const vector = new Array<number>(bytes.length / 4);
  for (let index = 0; index < vector.length; index++) vector[index] = view.getFloat32(index * 4, true);
  return vector;
}
