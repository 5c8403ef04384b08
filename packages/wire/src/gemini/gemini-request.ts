import {
  type AssistantMessage,
  type ChatRequest,
  InvalidRequestError,
  type ToolResultPart,
  type Warning,
} from 'ai.matey.core';
import type { EncodedRequest, EncodeRequestOptions } from '../codec.ts';
import { mediaPartToGemini } from './gemini-media.ts';
import { assistantPartToGemini } from './gemini-parts.ts';
import { encodeGeminiConfig } from './gemini-request-config.ts';
import type { GeminiContent, GeminiPart, GeminiRequestBody } from './gemini-types.ts';

/**
 * Google's documented stand-in for a missing thought signature: Gemini 3 rejects a replayed
 * function call without one (a conversation that began on another provider, or whose metadata
 * was lost), and accepts this instead.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/**
 * Encodes a spec request as a Gemini `generateContent` body. The model is not in the body (it is
 * in the path, see `geminiPath`). Tool results need the function's name: `toolName`, or else the
 * name of the call with that id earlier in the conversation; with neither the request cannot be
 * expressed and `InvalidRequestError` is thrown.
 */
export function encodeGeminiRequest(request: ChatRequest, options: EncodeRequestOptions): EncodedRequest {
  const warnings: Warning[] = [];
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const unsigned: string[] = [];
  const needsSignatures = /^(?:models\/)?gemini-3[.-]/.test(options.model);
  let seenConversation = false;
  let toolContent: GeminiContent | undefined;

  request.messages.forEach((message, messageIndex) => {
    switch (message.role) {
      case 'system': {
        if (seenConversation)
          warnings.push({
            type: 'unsupported-content',
            setting: `messages[${messageIndex}]`,
            message:
              'Gemini takes system text only as systemInstruction; a later system message was moved there',
          });
        const parts = typeof message.content === 'string' ? [{ text: message.content }] : message.content;
        for (const part of parts) system.push({ text: part.text });
        return;
      }
      case 'user': {
        seenConversation = true;
        toolContent = undefined;
        if (message.name !== undefined) warnNames(warnings, messageIndex);
        const parts: GeminiPart[] =
          typeof message.content === 'string'
            ? [{ text: message.content }]
            : message.content.map((part) =>
                part.type === 'text' ? { text: part.text } : mediaPartToGemini(part, warnings),
              );
        contents.push({ role: 'user', parts });
        return;
      }
      case 'assistant': {
        seenConversation = true;
        toolContent = undefined;
        if (message.name !== undefined) warnNames(warnings, messageIndex);
        const parts = assistantParts(message, warnings);
        for (const part of parts)
          if (part.functionCall?.id && part.functionCall.name)
            toolNames.set(part.functionCall.id, part.functionCall.name);
        if (needsSignatures) signFirstCall(parts, unsigned);
        if (parts.length > 0) contents.push({ role: 'model', parts });
        return;
      }
      case 'tool': {
        seenConversation = true;
        const parts = message.content.flatMap((part, partIndex) =>
          toolResultToGemini(part, toolNames, `messages[${messageIndex}].content[${partIndex}]`, warnings),
        );
        // Gemini wants every response to one model turn together, so consecutive tool messages merge.
        if (toolContent) toolContent.parts?.push(...parts);
        else {
          toolContent = { role: 'user', parts };
          contents.push(toolContent);
        }
        return;
      }
    }
  });

  if (unsigned.length > 0)
    warnings.push({
      type: 'other',
      setting: 'messages',
      message: `Replayed function calls without a Gemini thought signature (${unsigned.join(', ')}) were sent with Google's skip marker; Gemini 3 rejects them otherwise`,
    });

  const body: GeminiRequestBody = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };
  return { body: encodeGeminiConfig(body, request, options, warnings), warnings };
}

function assistantParts(message: AssistantMessage, warnings: Warning[]): GeminiPart[] {
  if (typeof message.content === 'string') return message.content === '' ? [] : [{ text: message.content }];
  const parts: GeminiPart[] = [];
  for (const part of message.content) {
    if (part.type === 'reasoning' && part.redactedData !== undefined && part.text === '') {
      warnings.push({
        type: 'unsupported-content',
        setting: 'reasoning',
        message: 'Gemini cannot take redacted reasoning from another provider; it was left out',
      });
      continue;
    }
    const converted = assistantPartToGemini(part);
    if (converted) parts.push(converted);
  }
  return parts;
}

/** Only the first call of a parallel batch carries Gemini's signature, so only it gets the marker. */
function signFirstCall(parts: GeminiPart[], unsigned: string[]): void {
  const calls = parts.filter((part) => part.functionCall);
  const first = calls[0];
  if (!first || calls.some((part) => part.thoughtSignature)) return;
  first.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
  unsigned.push(first.functionCall?.name ?? '');
}

function toolResultToGemini(
  part: ToolResultPart,
  toolNames: Map<string, string>,
  param: string,
  warnings: Warning[],
): GeminiPart[] {
  const name = part.toolName ?? toolNames.get(part.toolCallId);
  if (name === undefined)
    throw new InvalidRequestError({
      message: `Gemini needs the function name of tool result ${part.toolCallId}: set toolName, or keep the assistant message with that tool call in the conversation`,
      param: `${param}.toolName`,
      provider: 'google',
    });
  const media: GeminiPart[] = [];
  let text: string;
  if (typeof part.content === 'string') text = part.content;
  else {
    text = '';
    for (const item of part.content) {
      if (item.type === 'text') text += item.text;
      else media.push(mediaPartToGemini(item, warnings));
    }
  }
  // Gemini's response must be an object; the wrapper key says which kind of result this is.
  const response = part.isError ? { error: text } : { result: text };
  return [{ functionResponse: { id: part.toolCallId, name, response } }, ...media];
}

function warnNames(warnings: Warning[], messageIndex: number): void {
  warnings.push({
    type: 'unsupported-setting',
    setting: `messages[${messageIndex}].name`,
    message: 'Gemini has no participant names; the name was left out',
  });
}
