import type { AssistantContentPart } from 'ai.matey.core';
import type { AnthropicContentBlock } from './anthropic-types.ts';

/**
 * Assistant blocks the spec has no part for (`server_tool_use`, `web_search_tool_result`,
 * `compaction`, …) ride on the part they come before, or the one they follow at the end of a
 * message, in `providerMetadata.anthropic.blocksBefore`/`blocksAfter`, so the history goes back to
 * Anthropic as it came; other providers never saw them and do not get them.
 */

type Carried = Record<string, unknown>;

function withBlocks(
  part: AssistantContentPart,
  key: 'blocksBefore' | 'blocksAfter',
  blocks: Carried[],
): AssistantContentPart {
  const anthropic = { ...part.providerMetadata?.anthropic, [key]: blocks };
  return { ...part, providerMetadata: { ...part.providerMetadata, anthropic } };
}

/**
 * Assistant parts from decoded blocks, where `undefined` stands for a block with no spec part
 * (the block itself is in `blocks` at the same index), each attached to a neighbouring part.
 */
export function attachCarriedBlocks(
  decoded: Array<AssistantContentPart | undefined>,
  blocks: readonly Carried[],
): AssistantContentPart[] {
  const parts: AssistantContentPart[] = [];
  let pending: Carried[] = [];
  decoded.forEach((part, index) => {
    if (part === undefined) {
      pending.push(blocks[index] as Carried);
      return;
    }
    parts.push(pending.length > 0 ? withBlocks(part, 'blocksBefore', pending) : part);
    pending = [];
  });
  if (pending.length > 0) {
    const last = parts.pop() ?? { type: 'text', text: '' };
    parts.push(withBlocks(last, 'blocksAfter', pending));
  }
  return parts;
}

/** An encoded assistant part with the blocks carried on it put back around it. */
export function withCarriedBlocks(
  part: AssistantContentPart,
  encoded: AnthropicContentBlock | undefined,
): AnthropicContentBlock[] {
  const carried = part.providerMetadata?.anthropic;
  const before = Array.isArray(carried?.blocksBefore)
    ? (carried.blocksBefore as AnthropicContentBlock[])
    : [];
  const after = Array.isArray(carried?.blocksAfter) ? (carried.blocksAfter as AnthropicContentBlock[]) : [];
  return [...before, ...(encoded ? [encoded] : []), ...after];
}
