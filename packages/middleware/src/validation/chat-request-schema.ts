import type { ChatRequest } from 'ai.matey.core';
import { z } from 'zod';

function between(min: number, max: number) {
  const error = `must be a number from ${min} to ${max}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}

/** The error of a discriminated union: a wrong tag, or no object at all. */
function tagged(tag: string, values: string[], what: string) {
  const list = values.map((value) => `'${value}'`).join(', ');
  return {
    error: (issue: { input?: unknown }) =>
      issue.input !== null && typeof issue.input === 'object'
        ? `must be one of ${list}`
        : `must be ${what} with a ${tag} of ${list}`,
  };
}

const positiveInt = z.int({ error: 'must be a whole number' }).positive({ error: 'must be greater than 0' });
const record = z.record(z.string(), z.unknown(), { error: 'must be an object' });
const providerMetadata = z.record(z.string(), z.record(z.string(), z.unknown())).optional();
const nonEmpty = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

const dataSource = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('url'), url: nonEmpty, mediaType: z.string().optional() }),
    z.object({ kind: z.literal('base64'), data: nonEmpty, mediaType: nonEmpty }),
  ],
  tagged('kind', ['url', 'base64'], 'a source'),
);

const textPart = z.object({ type: z.literal('text'), text: z.string(), providerMetadata });
const imagePart = z.object({
  type: z.literal('image'),
  source: dataSource,
  detail: z.enum(['auto', 'low', 'high']).optional(),
  providerMetadata,
});
const filePart = z.object({
  type: z.literal('file'),
  source: dataSource,
  filename: z.string().optional(),
  providerMetadata,
});
const toolCallPart = z.object({
  type: z.literal('tool-call'),
  toolCallId: nonEmpty,
  toolName: nonEmpty,
  arguments: z.string({ error: 'must be the JSON text of the arguments' }),
  providerMetadata,
});
const reasoningPart = z.object({
  type: z.literal('reasoning'),
  text: z.string(),
  signature: z.string().optional(),
  redactedData: z.string().optional(),
  providerMetadata,
});
const toolResultPart = z.object({
  type: z.literal('tool-result'),
  toolCallId: nonEmpty,
  toolName: z.string().optional(),
  content: z.union(
    [
      z.string(),
      z.array(
        z.discriminatedUnion('type', [textPart, imagePart], tagged('type', ['text', 'image'], 'a part')),
      ),
    ],
    {
      error: 'must be a string or an array of text and image parts',
    },
  ),
  isError: z.boolean().optional(),
  providerMetadata,
});

/** A message's content: a string, or a non-empty array of the parts its role may hold. */
function content<T extends z.ZodType>(part: T, parts: string) {
  return z.union([z.string(), z.array(part).min(1, { error: 'must not be an empty array' })], {
    error: `must be a string or an array of ${parts} parts`,
  });
}

const message = z.discriminatedUnion(
  'role',
  [
    z.object({ role: z.literal('system'), content: content(textPart, 'text') }),
    z.object({
      role: z.literal('user'),
      content: content(
        z.discriminatedUnion(
          'type',
          [textPart, imagePart, filePart],
          tagged('type', ['text', 'image', 'file'], 'a part'),
        ),
        'text, image and file',
      ),
      name: z.string().optional(),
    }),
    z.object({
      role: z.literal('assistant'),
      content: content(
        z.discriminatedUnion(
          'type',
          [textPart, reasoningPart, toolCallPart],
          tagged('type', ['text', 'reasoning', 'tool-call'], 'a part'),
        ),
        'text, reasoning and tool-call',
      ),
      name: z.string().optional(),
    }),
    z.object({
      role: z.literal('tool'),
      content: z.array(toolResultPart).min(1, { error: 'must hold at least one tool-result part' }),
    }),
  ],
  tagged('role', ['system', 'user', 'assistant', 'tool'], 'a message'),
);

const toolDefinition = z.object({
  name: z
    .string({ error: 'must be a string' })
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, { error: 'must be 1 to 128 letters, digits, _ . : or -' }),
  description: z.string().optional(),
  inputSchema: record.refine((schema) => schema.type === undefined || schema.type === 'object', {
    error: "must be a JSON Schema of an object (type 'object')",
  }),
  strict: z.boolean().optional(),
});

/**
 * The zod schema of a `ChatRequest`: message roles and the content parts each may hold, tool
 * definitions, and the ranges providers accept (temperature 0–2, topP 0–1, penalties −2–2,
 * positive token counts). Unknown fields are allowed and left alone. Reusable wherever a
 * neutral request arrives from outside, such as the gateway.
 *
 * @example
 * const result = chatRequestSchema.safeParse(body);
 * if (!result.success) console.log(result.error.issues[0]);
 */
export const chatRequestSchema: z.ZodType<ChatRequest> = z
  .object({
    model: nonEmpty.optional(),
    messages: z
      .array(message, { error: 'must be an array of messages' })
      .min(1, { error: 'must hold at least one message' }),
    tools: z.array(toolDefinition).optional(),
    toolChoice: z
      .union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('tool'), name: nonEmpty })], {
        error: "must be 'auto', 'none', 'required' or { type: 'tool', name }",
      })
      .optional(),
    parallelToolCalls: z.boolean().optional(),
    responseFormat: z
      .discriminatedUnion(
        'type',
        [
          z.object({ type: z.literal('text') }),
          z.object({ type: z.literal('json') }),
          z.object({
            type: z.literal('json-schema'),
            schema: record,
            name: z.string().optional(),
            description: z.string().optional(),
            strict: z.boolean().optional(),
          }),
        ],
        tagged('type', ['text', 'json', 'json-schema'], 'an object'),
      )
      .optional(),
    maxOutputTokens: positiveInt.optional(),
    temperature: between(0, 2).optional(),
    topP: between(0, 1).optional(),
    topK: positiveInt.optional(),
    frequencyPenalty: between(-2, 2).optional(),
    presencePenalty: between(-2, 2).optional(),
    seed: z.int({ error: 'must be a whole number' }).optional(),
    stopSequences: z.array(nonEmpty, { error: 'must be an array of strings' }).optional(),
    reasoning: z
      .object({
        effort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
        budgetTokens: z.int().nonnegative({ error: 'must be 0 or more' }).optional(),
      })
      .optional(),
    user: z.string().optional(),
    metadata: record.optional(),
    providerOptions: z.record(z.string(), record).optional(),
  })
  .superRefine((request, context) => {
    const names = new Set<string>();
    request.tools?.forEach((tool, index) => {
      if (names.has(tool.name))
        context.addIssue({
          code: 'custom',
          path: ['tools', index, 'name'],
          message: 'is a duplicate tool name',
        });
      names.add(tool.name);
    });
    const choice = request.toolChoice;
    if (typeof choice === 'object' && !names.has(choice.name)) {
      context.addIssue({
        code: 'custom',
        path: ['toolChoice', 'name'],
        message: `names a tool that is not among the request's tools`,
      });
    }
  });
