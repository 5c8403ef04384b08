/**
 * Structured output from a Responses client (`text.format` JSON schema) through each upstream
 * protocol: the upstream gets the schema in its own form, and `client.responses.parse` reads the
 * JSON back as `output_parsed`.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProtocolFleet, startProtocolFleet, UPSTREAM_LANES } from './responses-test-fleet.ts';

let fleet: ProtocolFleet;
let client: OpenAI;
beforeAll(async () => {
  fleet = await startProtocolFleet();
  client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
});
afterAll(() => fleet.close());

const schema = {
  type: 'object',
  properties: { city: { type: 'string' }, temperature: { type: 'number' } },
  required: ['city', 'temperature'],
  additionalProperties: false,
};
const answer = { city: 'Paris', temperature: 21 };

/** Where each protocol's body carries the schema. */
const schemaIn: Record<string, (body: Record<string, unknown>) => unknown> = {
  'openai-chat': (body) => (body.response_format as { json_schema: { schema: unknown } }).json_schema.schema,
  'anthropic-messages': (body) =>
    (body.tools as Array<{ name: string; input_schema: unknown }>).find((tool) => tool.name === 'json')
      ?.input_schema,
  gemini: (body) => {
    const config = body.generationConfig as Record<string, unknown>;
    return config.responseJsonSchema ?? config.responseSchema;
  },
  'openai-responses': (body) => (body.text as { format: { schema: unknown } }).format.schema,
};

describe.each(UPSTREAM_LANES)('structured output, $protocol upstream', (lane) => {
  it.each([false, true])('parses the JSON answer (stream: %s)', async (stream) => {
    const upstream = fleet.upstreams[lane.protocol];
    // Anthropic has no JSON mode: its codec forces a `json` tool, whose input is the answer.
    upstream.enqueue(
      lane.protocol === 'anthropic-messages'
        ? { toolCalls: [{ name: 'json', arguments: answer }] }
        : { text: JSON.stringify(answer) },
    );
    const params = {
      model: lane.model,
      input: 'Weather in Paris as JSON',
      text: { format: { type: 'json_schema' as const, name: 'weather', schema, strict: true } },
    };
    const reply = stream
      ? await client.responses.stream(params).finalResponse()
      : await client.responses.parse(params);
    expect(JSON.parse(reply.output_text)).toEqual(answer);
    if (!stream) expect((reply as { output_parsed: unknown }).output_parsed).toEqual(answer);
    expect(reply.output.some((item) => item.type === 'function_call')).toBe(false);
    const sent = upstream.requests.at(-1)?.body as Record<string, unknown>;
    expect(schemaIn[lane.protocol]?.(sent)).toMatchObject({ properties: schema.properties });
  });
});
