import { z } from 'zod';

/**
 * The zod schema of an inbound Cohere v2 chat body: the fields this codec maps are typed;
 * everything else passes through (loose objects) to land in `providerOptions.cohere`.
 */

const textItem = z.looseObject({ type: z.literal('text'), text: z.string() });
const thinkingItem = z.looseObject({ type: z.literal('thinking'), thinking: z.string() });
const imageItem = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const documentItem = z.looseObject({ type: z.literal('document'), document: z.looseObject({}) });

const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
});

const message = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: z.union([z.string(), z.array(textItem)]) }),
  z.looseObject({
    role: z.literal('user'),
    content: z.union([
      z.string(),
      z.array(z.discriminatedUnion('type', [textItem, imageItem, documentItem])),
    ]),
  }),
  z.looseObject({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textItem, thinkingItem]))]).nullish(),
    tool_plan: z.string().nullish(),
    tool_calls: z.array(toolCall).nullish(),
  }),
  z.looseObject({
    role: z.literal('tool'),
    tool_call_id: z.string(),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textItem, documentItem]))]),
  }),
]);

const tool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string(),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

const optionalNumber = z.number().nullish();

export const cohereRequestSchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(message).min(1),
  tools: z.array(tool).nullish(),
  tool_choice: z.enum(['REQUIRED', 'NONE']).nullish(),
  strict_tools: z.boolean().nullish(),
  response_format: z
    .looseObject({
      type: z.enum(['text', 'json_object']),
      json_schema: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
  max_tokens: optionalNumber,
  temperature: optionalNumber,
  p: optionalNumber,
  k: optionalNumber,
  frequency_penalty: optionalNumber,
  presence_penalty: optionalNumber,
  seed: optionalNumber,
  stop_sequences: z.array(z.string()).nullish(),
  thinking: z
    .looseObject({ type: z.enum(['enabled', 'disabled']), token_budget: z.number().nullish() })
    .nullish(),
  stream: z.boolean().nullish(),
});

export type CohereRequestBody = z.infer<typeof cohereRequestSchema>;
export type CohereRequestMessage = CohereRequestBody['messages'][number];
