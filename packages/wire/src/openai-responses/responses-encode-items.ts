import type {
  AssistantMessage,
  FilePart,
  ImagePart,
  Message,
  ToolResultPart,
  UserMessage,
  Warning,
} from 'ai.matey.core';
import { sourceToUrl } from '../shared/data-url.ts';
import { isRecord, omit, opaqueItemOf, type RawItem, responsesMetadata } from './responses-metadata.ts';

/**
 * Spec messages as Responses `input` items, in order; the first message, when a system one, is
 * the `instructions` instead. Items that came from a Responses reply or client (reasoning with
 * its `encrypted_content`, function calls with their ids, hosted tool items) go back as they
 * came. What the protocol cannot take is reported in `warnings`.
 */
export function encodeInputItems(
  messages: readonly Message[],
  warnings: Warning[],
): { instructions?: string; input: RawItem[] } {
  const input: RawItem[] = [];
  let instructions: string | undefined;
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system': {
        const text =
          typeof message.content === 'string' ? message.content : message.content.map((p) => p.text).join('');
        if (index === 0) instructions = text;
        else input.push({ type: 'message', role: 'developer', content: text });
        return;
      }
      case 'user':
        input.push(...encodeUser(message, index, warnings));
        return;
      case 'assistant':
        input.push(...encodeAssistant(message, index, warnings));
        return;
      case 'tool':
        for (const result of message.content) input.push(encodeToolResult(result, index, warnings));
        return;
    }
  });
  return instructions === undefined ? { input } : { instructions, input };
}

function encodeUser(message: UserMessage, index: number, warnings: Warning[]): RawItem[] {
  if (typeof message.content === 'string')
    return [{ type: 'message', role: 'user', content: message.content }];
  const items: RawItem[] = [];
  let content: RawItem[] = [];
  const flush = () => {
    if (content.length > 0) items.push({ type: 'message', role: 'user', content });
    content = [];
  };
  message.content.forEach((part, partIndex) => {
    const opaque = opaqueItemOf(part);
    if (opaque) {
      flush();
      items.push(opaque);
    } else if (part.type === 'text') content.push({ type: 'input_text', text: part.text });
    else if (part.type === 'image') content.push(encodeImage(part));
    else {
      const file = encodeFile(part, `messages[${index}].content[${partIndex}]`, warnings);
      if (file) content.push(file);
    }
  });
  flush();
  if (message.name !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: `messages[${index}].name`,
      message: 'The Responses API has no participant names; the name was not sent.',
    });
  }
  return items;
}

function encodeImage(part: ImagePart): RawItem {
  const fileId = part.providerMetadata?.openai?.fileId;
  return {
    type: 'input_image',
    ...(typeof fileId === 'string' ? { file_id: fileId } : { image_url: sourceToUrl(part.source) }),
    detail: part.detail ?? 'auto',
  };
}

function encodeFile(part: FilePart, where: string, warnings: Warning[]): RawItem | undefined {
  const fileId = part.providerMetadata?.openai?.fileId;
  const filename = part.filename !== undefined ? { filename: part.filename } : {};
  if (typeof fileId === 'string') return { type: 'input_file', file_id: fileId, ...filename };
  if (part.source.kind === 'url') return { type: 'input_file', file_url: part.source.url, ...filename };
  if (part.source.mediaType.startsWith('audio/')) {
    warnings.push({
      type: 'unsupported-content',
      setting: where,
      message: 'The Responses API takes no audio input; the audio was not sent.',
    });
    return undefined;
  }
  return { type: 'input_file', file_data: sourceToUrl(part.source), ...filename };
}

function encodeAssistant(message: AssistantMessage, index: number, warnings: Warning[]): RawItem[] {
  if (typeof message.content === 'string')
    return message.content === '' ? [] : [{ type: 'message', role: 'assistant', content: message.content }];
  const items: RawItem[] = [];
  let open: { key: unknown; item: RawItem; content: RawItem[] } | undefined;
  for (const part of message.content) {
    const meta = responsesMetadata(part.providerMetadata);
    if (part.type === 'text' && !meta.item) {
      const key = meta.message?.id;
      if (!open || open.key !== key || key === undefined) {
        const content: RawItem[] = [];
        const item: RawItem = meta.message
          ? { ...omit(meta.message, 'content'), type: 'message', role: 'assistant', content }
          : { type: 'message', role: 'assistant', content };
        open = { key, item, content };
        items.push(item);
      }
      const refusal = part.providerMetadata?.openai?.refusal === true;
      open.content.push(
        refusal
          ? { ...(meta.part ?? {}), type: 'refusal', refusal: part.text }
          : { annotations: [], ...(meta.part ?? {}), type: 'output_text', text: part.text },
      );
      continue;
    }
    open = undefined;
    if (part.type === 'text') items.push(meta.item as RawItem);
    else if (part.type === 'tool-call') {
      items.push({
        ...(meta.item ?? {}),
        type: 'function_call',
        call_id: part.toolCallId,
        name: part.toolName,
        arguments: part.arguments,
      });
    } else if (meta.item) items.push(meta.item);
    else if (part.text !== '' || part.signature !== undefined || part.redactedData !== undefined) {
      warnings.push({
        type: 'unsupported-content',
        setting: `messages[${index}].content`,
        message:
          'Reasoning from another provider cannot be sent to the Responses API (it takes back only its own reasoning items); it was left out.',
      });
    }
  }
  return items;
}

function encodeToolResult(result: ToolResultPart, index: number, warnings: Warning[]): RawItem {
  if (result.isError) {
    warnings.push({
      type: 'unsupported-setting',
      setting: `messages[${index}].content`,
      message: `The Responses API cannot mark a function output as an error; the result of ${result.toolCallId} was sent as an ordinary one.`,
    });
  }
  const output =
    typeof result.content === 'string'
      ? result.content
      : result.content.map((part) =>
          part.type === 'text' ? { type: 'input_text', text: part.text } : encodeImage(part),
        );
  return { type: 'function_call_output', call_id: result.toolCallId, output };
}

/** True for a value that is a Responses item object. */
export function isItem(value: unknown): value is RawItem {
  return isRecord(value);
}
