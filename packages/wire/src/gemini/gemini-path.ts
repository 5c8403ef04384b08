/**
 * The request path for a Gemini model call. Gemini puts the model in the path, not the body;
 * streaming asks for SSE framing with `alt=sse` (without it Gemini answers with one JSON array).
 *
 * @example
 * geminiPath('gemini-2.5-flash', true); // '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'
 */
export function geminiPath(model: string, stream: boolean): string {
  const id = model.startsWith('models/') ? model.slice('models/'.length) : model;
  return stream
    ? `/v1beta/models/${id}:streamGenerateContent?alt=sse`
    : `/v1beta/models/${id}:generateContent`;
}

/**
 * Reads a Gemini model-call path (`/v1beta/models/{model}:generateContent`, or
 * `:streamGenerateContent`, any API version, with or without a query) back into its model and
 * whether it streams; `undefined` for any other path.
 */
export function parseGeminiPath(path: string): { model: string; stream: boolean } | undefined {
  const match =
    /^\/(?:v1|v1beta|v1alpha)\/models\/([^/:?#]+):(generateContent|streamGenerateContent)(?:[?#].*)?$/.exec(
      path,
    );
  if (!match?.[1]) return undefined;
  let model: string;
  try {
    model = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  return { model, stream: match[2] === 'streamGenerateContent' };
}
