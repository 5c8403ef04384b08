import { z } from 'zod';

const jsonObject = z.record(z.string(), z.unknown());

const part = z
  .looseObject({
    text: z.string().optional(),
    thought: z.boolean().optional(),
    thoughtSignature: z.string().optional(),
    inlineData: z.looseObject({ mimeType: z.string(), data: z.string() }).optional(),
    fileData: z.looseObject({ fileUri: z.string(), mimeType: z.string().optional() }).optional(),
    functionCall: z
      .looseObject({ id: z.string().optional(), name: z.string().min(1), args: jsonObject.optional() })
      .optional(),
    functionResponse: z
      .looseObject({ id: z.string().optional(), name: z.string().min(1), response: jsonObject })
      .optional(),
  })
  .refine(
    (value) =>
      value.text !== undefined ||
      value.inlineData !== undefined ||
      value.fileData !== undefined ||
      value.functionCall !== undefined ||
      value.functionResponse !== undefined,
    { message: 'a part needs text, inlineData, fileData, functionCall or functionResponse' },
  );

const content = z.looseObject({
  role: z.enum(['user', 'model', 'function']).optional(),
  parts: z.array(part).min(1),
});

const functionDeclaration = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: jsonObject.optional(),
  parametersJsonSchema: jsonObject.optional(),
});

/** What a Gemini `generateContent` body must look like for this codec to read it. */
export const geminiRequestSchema = z.looseObject({
  contents: z.array(content).min(1),
  systemInstruction: z.union([z.string(), z.looseObject({ parts: z.array(part) })]).optional(),
  tools: z.array(z.looseObject({ functionDeclarations: z.array(functionDeclaration).optional() })).optional(),
  toolConfig: z
    .looseObject({
      functionCallingConfig: z
        .looseObject({
          mode: z.enum(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED']).optional(),
          allowedFunctionNames: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
  generationConfig: z
    .looseObject({
      temperature: z.number().min(0).max(2).optional(),
      topP: z.number().min(0).max(1).optional(),
      topK: z.number().int().min(1).optional(),
      maxOutputTokens: z.number().int().min(1).optional(),
      stopSequences: z.array(z.string()).optional(),
      seed: z.number().int().optional(),
      presencePenalty: z.number().optional(),
      frequencyPenalty: z.number().optional(),
      responseMimeType: z.string().optional(),
      responseSchema: jsonObject.optional(),
      responseJsonSchema: jsonObject.optional(),
      thinkingConfig: z
        .looseObject({
          thinkingBudget: z.number().int().optional(),
          thinkingLevel: z.string().optional(),
          includeThoughts: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
});

export type GeminiRequestInput = z.infer<typeof geminiRequestSchema>;

/** Keys whose values are the caller's own data (names of arguments, schema properties), never renamed. */
const OPAQUE_KEYS = new Set([
  'args',
  'response',
  'parameters',
  'parametersJsonSchema',
  'responseSchema',
  'responseJsonSchema',
  'labels',
]);

/**
 * Google's REST endpoints take proto field names in snake_case as well as camelCase (its curl
 * examples use `system_instruction`, `inline_data`); this reads both by renaming to camelCase,
 * leaving the caller's own data (function arguments, schemas) untouched.
 */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const name = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    out[name] = OPAQUE_KEYS.has(name) ? inner : camelCaseKeys(inner);
  }
  return out;
}
