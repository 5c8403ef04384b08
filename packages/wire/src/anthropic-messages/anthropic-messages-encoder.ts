import type { Message, TextPart, Warning } from 'ai.matey.core';
import { withCarriedBlocks } from './anthropic-carried-blocks.ts';
import {
  encodeReasoningBlock,
  encodeTextBlock,
  encodeToolResultBlock,
  encodeToolUseBlock,
  encodeUserBlock,
} from './anthropic-content-encoder.ts';
import type { AnthropicContentBlock, AnthropicMessageParam, AnthropicTextBlock } from './anthropic-types.ts';

export interface EncodedAnthropicMessages {
  system?: string | AnthropicTextBlock[];
  messages: AnthropicMessageParam[];
}

function toBlocks(content: string | AnthropicContentBlock[]): AnthropicContentBlock[] {
  if (typeof content !== 'string') return content;
  return content === '' ? [] : [{ type: 'text', text: content }];
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/**
 * Spec messages as Anthropic's `system` and `messages`.
 *
 * Anthropic takes the system prompt apart from the turns, so every system message joins the
 * `system` blocks in order (a lone plain-text one stays a string). Tool results travel in a
 * user turn, and turns must alternate, so consecutive same-role turns (a tool message then a
 * user message, say) merge into one, with `tool_result` blocks first as Anthropic requires.
 */
export function encodeAnthropicMessages(messages: Message[], warnings: Warning[]): EncodedAnthropicMessages {
  const systemParts: TextPart[] = [];
  let systemMessages = 0;
  let movedSystem = false;
  let droppedName = false;
  const turns: AnthropicMessageParam[] = [];

  const push = (role: 'user' | 'assistant', content: string | AnthropicContentBlock[]): void => {
    const last = turns.at(-1);
    if (last?.role === role) last.content = [...toBlocks(last.content), ...toBlocks(content)];
    else if (typeof content === 'string' || content.length > 0) turns.push({ role, content });
  };

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        systemMessages++;
        if (turns.length > 0) movedSystem = true;
        if (typeof message.content === 'string') systemParts.push({ type: 'text', text: message.content });
        else systemParts.push(...message.content);
        break;
      case 'user':
        if (message.name !== undefined) droppedName = true;
        push(
          'user',
          typeof message.content === 'string'
            ? message.content
            : message.content.map((part) => encodeUserBlock(part, warnings)).filter(isDefined),
        );
        break;
      case 'assistant':
        if (message.name !== undefined) droppedName = true;
        push(
          'assistant',
          typeof message.content === 'string'
            ? message.content
            : message.content.flatMap((part) => {
                if (part.type === 'text')
                  return withCarriedBlocks(part, part.text === '' ? undefined : encodeTextBlock(part));
                if (part.type === 'reasoning')
                  return withCarriedBlocks(part, encodeReasoningBlock(part, warnings));
                return withCarriedBlocks(part, encodeToolUseBlock(part));
              }),
        );
        break;
      case 'tool':
        push('user', message.content.map(encodeToolResultBlock));
        break;
    }
  }

  for (const turn of turns) {
    if (turn.role !== 'user' || typeof turn.content === 'string') continue;
    turn.content = [
      ...turn.content.filter((block) => block.type === 'tool_result'),
      ...turn.content.filter((block) => block.type !== 'tool_result'),
    ];
  }

  if (movedSystem)
    warnings.push({
      type: 'unsupported-content',
      setting: 'messages',
      message: 'Anthropic takes system messages only before the conversation; later ones were moved there.',
    });
  if (droppedName)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'messages.name',
      message: 'Anthropic has no per-message name; it was left out.',
    });

  const result: EncodedAnthropicMessages = { messages: turns };
  const only = systemParts[0];
  if (
    systemMessages === 1 &&
    systemParts.length === 1 &&
    only &&
    !only.providerMetadata &&
    only.text !== ''
  ) {
    const first = messages.find((message) => message.role === 'system');
    result.system = typeof first?.content === 'string' ? only.text : [encodeTextBlock(only)];
  } else {
    const blocks = systemParts.filter((part) => part.text !== '').map(encodeTextBlock);
    if (blocks.length > 0) result.system = blocks;
  }
  return result;
}
