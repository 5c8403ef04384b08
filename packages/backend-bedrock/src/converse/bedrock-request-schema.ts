import { z } from 'zod';

/**
 * The Converse request body as the server half accepts it (the mock upstream, a gateway serving
 * Bedrock clients), validated at the edge. Unknown top-level fields pass through (they become
 * `providerOptions.bedrock`); inside messages, every block must be one Converse knows.
 */

const mediaSource = z.union([
  z.object({ bytes: z.string() }).strict(),
  z.object({ s3Location: z.looseObject({ uri: z.string() }) }).strict(),
]);
const image = z.object({ format: z.string(), source: mediaSource });
const document = z.object({
  format: z.string(),
  name: z.string(),
  source: z.union([mediaSource, z.object({ text: z.string() }).strict()]),
});
const cachePoint = z.looseObject({ type: z.string() });

const toolResultContent = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ json: z.unknown() }).strict(),
  z.object({ image }).strict(),
  z.object({ document }).strict(),
]);

export const bedrockBlockSchema = z.union([
  z.object({ text: z.string() }).strict(),
  z.object({ image }).strict(),
  z.object({ document }).strict(),
  z
    .object({
      toolUse: z.object({ toolUseId: z.string().min(1), name: z.string().min(1), input: z.unknown() }),
    })
    .strict(),
  z
    .object({
      toolResult: z.object({
        toolUseId: z.string().min(1),
        content: z.array(toolResultContent),
        status: z.enum(['success', 'error']).optional(),
      }),
    })
    .strict(),
  z
    .object({
      reasoningContent: z.union([
        z
          .object({ reasoningText: z.object({ text: z.string(), signature: z.string().optional() }) })
          .strict(),
        z.object({ redactedContent: z.string() }).strict(),
      ]),
    })
    .strict(),
  z.object({ cachePoint }).strict(),
]);

export type BedrockRequestBlock = z.infer<typeof bedrockBlockSchema>;

const tool = z.union([
  z
    .object({
      toolSpec: z.object({
        name: z.string().min(1),
        description: z.string().optional(),
        inputSchema: z.object({ json: z.record(z.string(), z.unknown()) }),
      }),
    })
    .strict(),
  z.object({ cachePoint }).strict(),
]);

export const bedrockRequestSchema = z.looseObject({
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.array(bedrockBlockSchema) })),
  system: z
    .array(z.union([z.object({ text: z.string() }).strict(), z.object({ cachePoint }).strict()]))
    .optional(),
  inferenceConfig: z
    .object({
      maxTokens: z.number().int().positive().optional(),
      temperature: z.number().min(0).optional(),
      topP: z.number().min(0).max(1).optional(),
      stopSequences: z.array(z.string()).optional(),
    })
    .strict()
    .optional(),
  toolConfig: z
    .object({
      tools: z.array(tool),
      toolChoice: z
        .union([
          z.object({ auto: z.object({}) }).strict(),
          z.object({ any: z.object({}) }).strict(),
          z.object({ tool: z.object({ name: z.string().min(1) }) }).strict(),
        ])
        .optional(),
    })
    .strict()
    .optional(),
  additionalModelRequestFields: z.record(z.string(), z.unknown()).optional(),
  requestMetadata: z.record(z.string(), z.string()).optional(),
});

export type BedrockRequestBody = z.infer<typeof bedrockRequestSchema>;
