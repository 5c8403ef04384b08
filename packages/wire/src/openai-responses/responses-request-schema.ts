import { z } from 'zod';

/**
 * The zod schema of an inbound Responses body: the top-level fields this codec maps are typed;
 * `input` items are read one by one by `decodeInputItems` (so an error names `input[3].type`);
 * everything else passes through to `providerOptions['openai-responses']`.
 */
const functionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const tool = z.union([functionTool, z.looseObject({ type: z.string() })]);

const textFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string(),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]);

const optionalNumber = z.number().nullish();

export const responsesRequestSchema = z.looseObject({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(z.looseObject({ type: z.string().optional() }))]).optional(),
  instructions: z.string().nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.looseObject({ type: z.literal('function'), name: z.string() }),
      z.looseObject({ type: z.string() }),
    ])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.looseObject({ format: textFormat.optional() }).nullish(),
  reasoning: z
    .looseObject({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
      summary: z.string().nullish(),
    })
    .nullish(),
  max_output_tokens: optionalNumber,
  temperature: optionalNumber,
  top_p: optionalNumber,
  user: z.string().nullish(),
  store: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  previous_response_id: z.string().min(1).nullish(),
  stream: z.boolean().nullish(),
});

export type ResponsesRequestBody = z.infer<typeof responsesRequestSchema>;
