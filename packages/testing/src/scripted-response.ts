import type { AssistantContentPart, ChatResponse, FinishReason, Usage } from 'ai.matey.core';

/** What a scripted reply answers with, for MockBackend and the mock upstream alike. */
export interface ScriptedContent {
  text?: string;
  reasoning?: string;
  /** The reasoning's integrity token (Anthropic thinking signature, Gemini thought signature). */
  reasoningSignature?: string;
  toolCalls?: Array<{ id?: string; name: string; arguments: unknown }>;
  usage?: Partial<Usage>;
  finishReason?: FinishReason;
  model?: string;
}

/** What the response needs besides the scripted content: ids, names and the token estimates. */
export interface ScriptedResponseShape {
  id: string;
  /** The model named when the reply names none. */
  model: string;
  provider: string;
  /** The answer's text: the scripted one, or a default when the reply scripts none. */
  text: string;
  /** A tool call without an id gets `PREFIX_N`, N its position in the reply. */
  toolCallIdPrefix: string;
  /** Characters the input-token estimate counts, when the reply's usage does not say. */
  inputChars: number;
  /** Characters the output-token estimate counts (besides 8 tokens a tool call). */
  outputChars: number;
}

/** The spec response a scripted reply describes. */
export function scriptedResponse(reply: ScriptedContent, shape: ScriptedResponseShape): ChatResponse {
  const content: AssistantContentPart[] = [];
  if (reply.reasoning !== undefined) {
    content.push({
      type: 'reasoning',
      text: reply.reasoning,
      ...(reply.reasoningSignature !== undefined ? { signature: reply.reasoningSignature } : {}),
    });
  }
  if (shape.text !== '') content.push({ type: 'text', text: shape.text });
  for (const [i, call] of (reply.toolCalls ?? []).entries()) {
    content.push({
      type: 'tool-call',
      toolCallId: call.id ?? `${shape.toolCallIdPrefix}_${i}`,
      toolName: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
    });
  }
  const inputTokens = reply.usage?.inputTokens ?? estimateTokens(shape.inputChars);
  const outputTokens =
    reply.usage?.outputTokens ?? estimateTokens(shape.outputChars) + (reply.toolCalls?.length ?? 0) * 8;
  return {
    id: shape.id,
    model: reply.model ?? shape.model,
    provider: shape.provider,
    content,
    finishReason: reply.finishReason ?? (reply.toolCalls?.length ? 'tool-calls' : 'stop'),
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, ...reply.usage },
    warnings: [],
  };
}

/** About four characters a token, as the providers' tokenizers average on English. */
export function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 4));
}
