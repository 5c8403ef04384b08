import { z } from 'zod';

/**
 * The Anthropic Messages request body as this gateway accepts it from a client, validated at
 * the edge. Fields the spec has no place for are let through at the top level (they become
 * `providerOptions.anthropic`); inside messages, unknown block types are refused by name.
 */

const cacheControl = z.looseObject({ type: z.string() });

const textBlock = z.object({
  type: z.literal('text'),
  text: z.string(),
  citations: z.array(z.unknown()).nullish(),
  cache_control: cacheControl.optional(),
});

const base64Source = z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() });
const urlSource = z.object({ type: z.literal('url'), url: z.string() });
const textSource = z.object({ type: z.literal('text'), media_type: z.string(), data: z.string() });

const imageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [base64Source, urlSource]),
  cache_control: cacheControl.optional(),
});

const documentBlock = z.object({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [base64Source, urlSource, textSource]),
  title: z.string().nullish(),
  context: z.string().nullish(),
  citations: z.looseObject({ enabled: z.boolean().optional() }).optional(),
  cache_control: cacheControl.optional(),
});

const toolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl.optional(),
});

/** Tool result content the spec has no part for (`tool_reference` from tool search, `document`, `search_result`). */
const otherToolResultContent = z.looseObject({
  type: z
    .string()
    .min(1)
    .refine((type) => type !== 'text' && type !== 'image', {
      message: 'a malformed text or image block',
      abort: true,
    }),
});

const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z
    .union([
      z.string(),
      z.array(z.union([z.discriminatedUnion('type', [textBlock, imageBlock]), otherToolResultContent])),
    ])
    .optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl.optional(),
});

const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string() });

const knownBlock = z.discriminatedUnion('type', [
  textBlock,
  imageBlock,
  documentBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  redactedThinkingBlock,
]);

const KNOWN_BLOCKS = new Set([
  'text',
  'image',
  'document',
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
]);

// The catch-all branches below refuse the known types with `abort: true`: a union then reports the
// known branch's own issue (`source.data`) instead of preferring the catch-all's.

/** A block type the spec has no part for (`server_tool_use`, `web_search_tool_result`, …): kept whole in assistant turns. */
const otherBlock = z.looseObject({
  type: z
    .string()
    .min(1)
    .refine((type) => !KNOWN_BLOCKS.has(type), { message: 'a malformed block', abort: true }),
});

const contentBlock = z.union([knownBlock, otherBlock]);

/** Whether a block is one the spec has a part for. */
export function isKnownBlock(block: AnthropicRequestBlock): block is AnthropicKnownBlock {
  return KNOWN_BLOCKS.has(block.type);
}

const turn = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

/** An effort level (`output_config.effort`): `low` to `max` today; a newer one is kept, not refused. */
export const anthropicEffort = z.string();

/** A tool the caller runs; fields beyond these (`defer_loading`, `cache_control`) are kept for Anthropic. */
const customTool = z.looseObject({
  type: z.literal('custom').optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  strict: z.boolean().optional(),
});

/** A tool Anthropic defines (`web_search_20250305`, `bash_20250124`, `mcp_toolset`, …), kept whole for Anthropic. */
const anthropicDefinedTool = z.looseObject({
  type: z
    .string()
    .min(1)
    .refine((type) => type !== 'custom', { message: 'a custom tool needs an input_schema', abort: true }),
  name: z.string().min(1).optional(),
});

const tool = z.union([customTool, anthropicDefinedTool]);

/**
 * A tool added or removed mid-conversation (a system message's `tool_addition`/`tool_removal`):
 * a full definition, or a reference to a listed tool (`tool_reference`, loading a deferred one)
 * or to an MCP server's tools.
 */
const toolChangeBlock = z.object({
  type: z.enum(['tool_addition', 'tool_removal']),
  tool: z.union([
    z.looseObject({ type: z.literal('tool_definition'), definition: tool }),
    z.looseObject({
      type: z
        .string()
        .min(1)
        .refine((type) => type !== 'tool_definition', {
          message: 'a tool definition needs a valid definition',
          abort: true,
        }),
      name: z.string().optional(),
      server_name: z.string().optional(),
    }),
  ]),
  cache_control: cacheControl.nullish(),
});

/**
 * A `role: "system"` message inside `messages` (Anthropic's beta, which Claude Code sends for
 * models it does not know): instructions at that point of the conversation.
 */
const systemMessage = z.object({
  role: z.literal('system'),
  content: z.union([z.string(), z.array(z.union([textBlock, toolChangeBlock]))]).optional(),
  clear_at: z.string().nullish(),
  output_config: z.looseObject({ effort: anthropicEffort.nullish() }).nullish(),
});

const message = z.discriminatedUnion('role', [turn, systemMessage]);

const parallel = { disable_parallel_tool_use: z.boolean().optional() };
const toolChoice = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), ...parallel }),
  z.object({ type: z.literal('any'), ...parallel }),
  z.object({ type: z.literal('tool'), name: z.string().min(1), ...parallel }),
  z.object({ type: z.literal('none') }),
]);

/** Structured output (`output_config.format`, formerly top-level `output_format`). */
const jsonOutputFormat = z.looseObject({
  type: z.literal('json_schema'),
  schema: z.record(z.string(), z.unknown()),
});

export const anthropicRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(message).min(1),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  stop_sequences: z.array(z.string()).optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  thinking: z
    .looseObject({ type: z.string(), budget_tokens: z.number().int().positive().optional() })
    .optional(),
  output_config: z
    .looseObject({ effort: anthropicEffort.nullish(), format: jsonOutputFormat.nullish() })
    .optional(),
  output_format: jsonOutputFormat.nullish(),
  stream: z.boolean().optional(),
});

export type AnthropicRequestBody = z.infer<typeof anthropicRequestSchema>;
export type AnthropicRequestMessage = z.infer<typeof turn>;
export type AnthropicSystemMessage = z.infer<typeof systemMessage>;
export type AnthropicRequestTool = z.infer<typeof tool>;
export type AnthropicCustomTool = z.infer<typeof customTool>;
export type AnthropicToolChange = z.infer<typeof toolChangeBlock>;
export type AnthropicRequestBlock = z.infer<typeof contentBlock>;
export type AnthropicKnownBlock = z.infer<typeof knownBlock>;
