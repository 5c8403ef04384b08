/**
 * Asks a gateway for a streamed chat completion, as the OpenAI SDK would, and returns the text
 * its SSE deltas spell. Throws on a non-200 answer or a stream that does not end with [DONE].
 */
export async function streamedCompletion(
  baseUrl: string,
  model: string,
): Promise<{ text: string; deltas: number }> {
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Hello' }] }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = await response.text();
  if (response.status !== 200 || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(
      `status ${response.status} (${response.headers.get('content-type')}): ${body.slice(0, 500)}`,
    );
  }
  const payloads = body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice('data: '.length));
  if (payloads.at(-1) !== '[DONE]')
    throw new Error(`the stream did not end with [DONE]:\n${body.slice(-500)}`);
  let text = '';
  let deltas = 0;
  for (const payload of payloads.slice(0, -1)) {
    const chunk = JSON.parse(payload) as { choices?: Array<{ delta?: { content?: string | null } }> };
    const content = chunk.choices?.[0]?.delta?.content;
    if (!content) continue;
    text += content;
    deltas++;
  }
  return { text, deltas };
}
