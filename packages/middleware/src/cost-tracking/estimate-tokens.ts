import type { ChatRequest, Message } from 'ai.matey.core';
import { messagePieces } from '../shared/message-pieces.ts';

/** How a token count was obtained. */
export type TokenCountMethod = 'tokenizer' | 'approximate';

export interface TokenEstimate {
  tokens: number;
  method: TokenCountMethod;
}

/** The few functions we use from a gpt-tokenizer encoding module. */
interface Encoding {
  countTokens(text: string): number;
}

type EncodingName = 'o200k_base' | 'cl100k_base';

// Loaded on first use: each encoding table costs a few hundred ms to parse, so importing it at
// start-up would slow every process, including those that never estimate an OpenAI call.
// gpt-tokenizer is an optional peer dependency (30 MB): without it, counts are approximate.
const encodings = new Map<EncodingName, Promise<Encoding | undefined>>();

function loadEncoding(name: EncodingName): Promise<Encoding | undefined> {
  let loading = encodings.get(name);
  if (!loading) {
    const encoding: Promise<Encoding> =
      name === 'o200k_base'
        ? import('gpt-tokenizer/encoding/o200k_base')
        : import('gpt-tokenizer/encoding/cl100k_base');
    loading = encoding.catch((error: unknown) => {
      if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
      throw error;
    });
    encodings.set(name, loading);
  }
  return loading;
}

/** The BPE encoding an OpenAI-family model uses, or undefined for other families. */
export function openAIEncodingFor(model: string, provider?: string): EncodingName | undefined {
  const id = (model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model).toLowerCase();
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o\d|chatgpt-|codex)/.test(id)) return 'o200k_base';
  if (/^(gpt-4|gpt-3\.5)/.test(id)) return 'cl100k_base';
  if (provider === 'openai') return 'o200k_base';
  return undefined;
}

/** Rough token count of a text: four characters a token, the usual rule of thumb for English. */
export function approximateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

// OpenAI's documented chat overhead: each message costs 3 tokens of framing plus its role (and
// name), and every reply is primed with 3 more.
const MESSAGE_OVERHEAD = 3;
const REPLY_PRIMING = 3;
/** An image is charged by tiles; 765 is a 1024×1024 image at high detail, 85 at low. */
const IMAGE_TOKENS_HIGH = 765;
const IMAGE_TOKENS_LOW = 85;

/** The texts a message is made of, in order (tool calls and results as their JSON or text). */
export function messageTexts(message: Message): string[] {
  const texts: string[] = [];
  for (const piece of messagePieces(message)) if (piece.type === 'text') texts.push(piece.text);
  return texts;
}

// A `detail` hint is honoured on the message's own images; images a tool returned count as high.
function imageTokens(message: Message): number {
  let tokens = 0;
  for (const piece of messagePieces(message)) {
    if (piece.type !== 'attachment' || piece.part.type !== 'image') continue;
    tokens += !piece.inToolResult && piece.part.detail === 'low' ? IMAGE_TOKENS_LOW : IMAGE_TOKENS_HIGH;
  }
  return tokens;
}

/**
 * Approximate tokens of one message: chars/4 of its text plus 4 tokens of framing, and a fixed
 * charge per image. Files (PDFs and the like) are not counted.
 */
export function approximateMessageTokens(message: Message): number {
  let tokens = MESSAGE_OVERHEAD + 1 + imageTokens(message);
  for (const text of messageTexts(message)) tokens += approximateTokens(text);
  return tokens;
}

/**
 * Estimates the input tokens of a request before it is sent.
 *
 * For OpenAI-family models (gpt-4o, gpt-4.1, gpt-5, o-series, gpt-4, gpt-3.5) it counts with the
 * model's own BPE encoding (`gpt-tokenizer`, an optional peer dependency loaded lazily) and
 * OpenAI's per-message framing, so text-only chats match what the API bills. Tool definitions
 * are counted as their JSON text, which is close but not exact. For every other family, and for
 * every model when gpt-tokenizer is not installed, the count is an APPROXIMATION: chars/4
 * plus 4 tokens per message (typically within ±20% for English; code and other languages vary).
 *
 * @example
 * const { tokens, method } = await estimateInputTokens({ model: 'gpt-4o', messages });
 */
export async function estimateInputTokens(request: ChatRequest, provider?: string): Promise<TokenEstimate> {
  const model = request.model ?? '';
  const encodingName = openAIEncodingFor(model, provider);
  const toolsText = request.tools?.length ? JSON.stringify(request.tools) : '';
  const encoding = encodingName ? await loadEncoding(encodingName) : undefined;
  if (!encoding) {
    let tokens = REPLY_PRIMING + approximateTokens(toolsText);
    for (const message of request.messages) tokens += approximateMessageTokens(message);
    return { tokens, method: 'approximate' };
  }
  let tokens = REPLY_PRIMING + (toolsText ? encoding.countTokens(toolsText) : 0);
  for (const message of request.messages) {
    tokens += MESSAGE_OVERHEAD + encoding.countTokens(message.role) + imageTokens(message);
    if ('name' in message && message.name) tokens += 1 + encoding.countTokens(message.name);
    for (const text of messageTexts(message)) tokens += encoding.countTokens(text);
  }
  return { tokens, method: 'tokenizer' };
}
