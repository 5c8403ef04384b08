import {
  type AssistantContentPart,
  type DataSource,
  type ImagePart,
  InvalidRequestError,
  type Message,
  type TextPart,
  type ToolResultPart,
  type UserContentPart,
} from 'ai.matey.core';
import { sourceFromUrl } from '../shared/data-url.ts';
import { unwrapForeignReasoning } from './responses-foreign-reasoning.ts';
import { OPAQUE_ITEM_SIDES } from './responses-item-types.ts';
import { isRecord, omit, type RawItem, withResponsesMetadata } from './responses-metadata.ts';

/**
 * Reads Responses `input` items into spec messages, in order. Messages map to messages;
 * `function_call` and `reasoning` items join the assistant turn, `function_call_output` items a
 * tool turn; hosted and custom tool items ride whole on an empty text part (see
 * `ResponsesPartMetadata`), so a Responses upstream gets them back untouched. An unknown item
 * type or a malformed item is an `InvalidRequestError` naming it (`input[2].type`).
 */
export function decodeInputItems(items: readonly RawItem[]): Message[] {
  const messages: Message[] = [];
  const toolNames = new Map<string, string>();
  items.forEach((item, index) => {
    const where = `input[${index}]`;
    const type = typeof item.type === 'string' ? item.type : 'message';
    switch (type) {
      case 'message': {
        const message = decodeMessageItem(item, where);
        // An assistant message after the turn's reasoning or calls belongs to the same turn.
        if (
          message.role === 'assistant' &&
          Array.isArray(message.content) &&
          messages.at(-1)?.role === 'assistant'
        )
          assistantTurn(messages).push(...message.content);
        else messages.push(message);
        return;
      }
      case 'function_call': {
        const callId = requireString(item, 'call_id', where);
        const name = requireString(item, 'name', where);
        toolNames.set(callId, name);
        const args = typeof item.arguments === 'string' ? item.arguments : '';
        assistantTurn(messages).push({
          type: 'tool-call',
          toolCallId: callId,
          toolName: name,
          arguments: args,
          ...withResponsesMetadata({ item }),
        });
        return;
      }
      case 'function_call_output': {
        const callId = requireString(item, 'call_id', where);
        const result: ToolResultPart = {
          type: 'tool-result',
          toolCallId: callId,
          content: decodeToolOutput(item.output, `${where}.output`),
        };
        const toolName = toolNames.get(callId);
        if (toolName !== undefined) result.toolName = toolName;
        const previous = messages.at(-1);
        if (previous?.role === 'tool') previous.content.push(result);
        else messages.push({ role: 'tool', content: [result] });
        return;
      }
      case 'reasoning':
        assistantTurn(messages).push(decodeReasoningItem(item));
        return;
      default: {
        const side = Object.hasOwn(OPAQUE_ITEM_SIDES, type) ? OPAQUE_ITEM_SIDES[type] : undefined;
        if (side === undefined) {
          throw new InvalidRequestError({
            message: `Invalid value: '${type}'. ${where}.type names no Responses input item type this gateway knows.`,
            param: `${where}.type`,
            code: 'invalid_value',
          });
        }
        const part: TextPart = { type: 'text', text: '', ...withResponsesMetadata({ item }) };
        if (side === 'assistant') assistantTurn(messages).push(part);
        else callerTurn(messages).push(part);
      }
    }
  });
  return messages;
}

/** The assistant message to add model-side items to: the last one, or a new one. */
function assistantTurn(messages: Message[]): AssistantContentPart[] {
  const last = messages.at(-1);
  if (last?.role === 'assistant' && Array.isArray(last.content)) return last.content;
  const content: AssistantContentPart[] = [];
  messages.push({ role: 'assistant', content });
  return content;
}

/** The user message to add caller-side opaque items to: the last one, or a new one. */
function callerTurn(messages: Message[]): UserContentPart[] {
  const last = messages.at(-1);
  if (last?.role === 'user' && Array.isArray(last.content)) return last.content;
  const content: UserContentPart[] = [];
  messages.push({ role: 'user', content });
  return content;
}

function decodeMessageItem(item: RawItem, where: string): Message {
  const role = item.role;
  const content = item.content;
  if (typeof content !== 'string' && !Array.isArray(content)) {
    throw invalid(`${where}.content`, 'expected a string or an array of content parts');
  }
  if (role === 'system' || role === 'developer') {
    return {
      role: 'system',
      content:
        typeof content === 'string'
          ? content
          : content.map((part, i) => textOf(part, `${where}.content[${i}]`)),
    };
  }
  if (role === 'user') {
    return {
      role: 'user',
      content:
        typeof content === 'string'
          ? content
          : content.map((part, i) => decodeUserPart(part, `${where}.content[${i}]`)),
    };
  }
  if (role === 'assistant') {
    const message = item.type === 'message' || item.id !== undefined ? omit(item, 'content') : undefined;
    if (typeof content === 'string') {
      return {
        role: 'assistant',
        content: [{ type: 'text', text: content, ...(message ? withResponsesMetadata({ message }) : {}) }],
      };
    }
    return {
      role: 'assistant',
      content: content.map((part, i): TextPart => {
        const at = `${where}.content[${i}]`;
        if (!isRecord(part)) throw invalid(at, 'expected a content part object');
        const text = part.type === 'refusal' ? part.refusal : part.text;
        if (typeof text !== 'string') throw invalid(`${at}.text`, 'expected a string');
        const meta = withResponsesMetadata({ ...(message ? { message } : {}), part: omit(part, 'text') });
        return part.type === 'refusal'
          ? { type: 'text', text, providerMetadata: { ...meta.providerMetadata, openai: { refusal: true } } }
          : { type: 'text', text, ...meta };
      }),
    };
  }
  throw invalid(`${where}.role`, `expected 'user', 'assistant', 'system' or 'developer'`);
}

function decodeReasoningItem(item: RawItem): AssistantContentPart {
  const summary = Array.isArray(item.summary) ? item.summary : [];
  const content = Array.isArray(item.content) ? item.content : [];
  const texts = (content.length > 0 ? content : summary)
    .map((entry) => (isRecord(entry) && typeof entry.text === 'string' ? entry.text : ''))
    .filter((text) => text !== '');
  const text = texts.join('\n\n');
  const foreign = unwrapForeignReasoning(item.encrypted_content);
  // Another provider's reasoning that went out to this client comes back as it was.
  if (foreign) return { type: 'reasoning', text, ...foreign };
  return { type: 'reasoning', text, ...withResponsesMetadata({ item }) };
}

function decodeUserPart(part: unknown, where: string): UserContentPart {
  if (!isRecord(part)) throw invalid(where, 'expected a content part object');
  switch (part.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return textOf(part, where);
    case 'input_image': {
      const detail =
        part.detail === 'low' || part.detail === 'high' || part.detail === 'auto' ? part.detail : undefined;
      const image: ImagePart = { type: 'image', source: imageSource(part, where) };
      if (detail !== undefined && detail !== 'auto') image.detail = detail;
      if (typeof part.file_id === 'string') image.providerMetadata = { openai: { fileId: part.file_id } };
      return image;
    }
    case 'input_file': {
      const filename = typeof part.filename === 'string' ? { filename: part.filename } : {};
      let source: DataSource;
      if (typeof part.file_data === 'string') source = fileData(part.file_data, part.filename);
      else if (typeof part.file_url === 'string') source = { kind: 'url', url: part.file_url };
      else if (typeof part.file_id === 'string') {
        return {
          type: 'file',
          source: { kind: 'url', url: part.file_id },
          ...filename,
          providerMetadata: { openai: { fileId: part.file_id } },
        };
      } else throw invalid(where, 'an input_file needs file_data, file_url or file_id');
      return { type: 'file', source, ...filename };
    }
    default:
      throw invalid(`${where}.type`, `'${String(part.type)}' is not an input content type`);
  }
}

function imageSource(part: RawItem, where: string): DataSource {
  if (typeof part.image_url === 'string') return sourceFromUrl(part.image_url);
  if (typeof part.file_id === 'string') return { kind: 'url', url: part.file_id };
  throw invalid(where, 'an input_image needs image_url or file_id');
}

function fileData(data: string, filename: unknown): DataSource {
  if (data.startsWith('data:')) return sourceFromUrl(data);
  const pdf = typeof filename !== 'string' || filename.toLowerCase().endsWith('.pdf');
  return { kind: 'base64', data, mediaType: pdf ? 'application/pdf' : 'application/octet-stream' };
}

function textOf(part: unknown, where: string): TextPart {
  if (!isRecord(part) || typeof part.text !== 'string') throw invalid(`${where}.text`, 'expected a string');
  return { type: 'text', text: part.text };
}

function decodeToolOutput(output: unknown, where: string): ToolResultPart['content'] {
  if (typeof output === 'string') return output;
  if (!Array.isArray(output)) throw invalid(where, 'expected a string or an array of content parts');
  return output.map((part, i) => {
    const decoded = decodeUserPart(part, `${where}[${i}]`);
    if (decoded.type === 'file')
      throw invalid(`${where}[${i}]`, 'files in a function output are not supported');
    return decoded;
  });
}

function requireString(item: RawItem, field: string, where: string): string {
  const value = item[field];
  if (typeof value !== 'string' || value === '')
    throw invalid(`${where}.${field}`, 'expected a non-empty string');
  return value;
}

function invalid(param: string, why: string): InvalidRequestError {
  return new InvalidRequestError({
    message: `Invalid value for '${param}': ${why}.`,
    param,
    code: 'invalid_value',
  });
}
