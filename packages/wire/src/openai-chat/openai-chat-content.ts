/** A run of reasoning, answer text or refusal text read from a message or a streamed delta. */
export interface ContentPiece {
  kind: 'reasoning' | 'text' | 'refusal';
  text: string;
}

/**
 * The reasoning, text and refusal in an OpenAI-style message or delta, in the order they read.
 * Reasoning comes from `reasoning_content` (DeepSeek, xAI, Groq, Mistral's OpenAI mode) or
 * `reasoning` (vLLM, OpenRouter), and goes first because providers send it before the answer;
 * `content` may be a string or Mistral's array of `text` and `thinking` parts. Empty strings
 * are left out so the `""` that opens and closes many streams makes no part.
 */
export function readContentPieces(message: Record<string, unknown>): {
  pieces: ContentPiece[];
  unknownTypes: string[];
} {
  const pieces: ContentPiece[] = [];
  const unknownTypes: string[] = [];
  const reasoning = stringOf(message.reasoning_content) ?? stringOf(message.reasoning);
  if (reasoning) pieces.push({ kind: 'reasoning', text: reasoning });
  const content = message.content;
  if (typeof content === 'string') {
    if (content) pieces.push({ kind: 'text', text: content });
  } else if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part !== 'object' || part === null) continue;
      const record = part as Record<string, unknown>;
      if (record.type === 'text') {
        const text = stringOf(record.text);
        if (text) pieces.push({ kind: 'text', text });
      } else if (record.type === 'thinking') {
        const text = thinkingText(record.thinking);
        if (text) pieces.push({ kind: 'reasoning', text });
      } else if (record.type === 'refusal') {
        const text = stringOf(record.refusal);
        if (text) pieces.push({ kind: 'refusal', text });
      } else {
        unknownTypes.push(String(record.type));
      }
    }
  }
  const refusal = stringOf(message.refusal);
  if (refusal) pieces.push({ kind: 'refusal', text: refusal });
  return { pieces, unknownTypes };
}

function thinkingText(thinking: unknown): string {
  if (typeof thinking === 'string') return thinking;
  if (!Array.isArray(thinking)) return '';
  let text = '';
  for (const item of thinking) {
    if (typeof item === 'object' && item !== null)
      text += stringOf((item as Record<string, unknown>).text) ?? '';
  }
  return text;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
