import type { Warning } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { fromGeminiSchema, toGeminiSchema } from './gemini-schema.ts';

describe('toGeminiSchema', () => {
  it('drops annotations and additionalProperties:false without a warning', () => {
    const warnings: Warning[] = [];
    const schema = toGeminiSchema(
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { name: { type: 'string', description: 'Name' } },
        required: ['name'],
        additionalProperties: false,
      },
      'tools.t.inputSchema',
      warnings,
    );
    expect(schema).toEqual({
      type: 'object',
      properties: { name: { type: 'string', description: 'Name' } },
      required: ['name'],
    });
    expect(warnings).toEqual([]);
  });

  it('inlines local $refs, reads nullable unions and turns const and oneOf into enum and anyOf', () => {
    const warnings: Warning[] = [];
    const schema = toGeminiSchema(
      {
        type: 'object',
        $defs: { city: { type: 'string', description: 'A city' } },
        properties: {
          home: { $ref: '#/$defs/city' },
          nickname: { type: ['string', 'null'] },
          maybe: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
          unit: { const: 'celsius' },
          value: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        },
      },
      'responseFormat',
      warnings,
    );
    expect(schema.properties).toEqual({
      home: { type: 'string', description: 'A city' },
      nickname: { type: 'string', nullable: true },
      maybe: { type: 'integer', nullable: true },
      unit: { enum: ['celsius'] },
      value: { anyOf: [{ type: 'string' }, { type: 'number' }] },
    });
    expect(warnings).toEqual([]);
  });

  it('warns, naming keyword and place, when it removes a constraint Gemini rejects', () => {
    const warnings: Warning[] = [];
    const schema = toGeminiSchema(
      {
        type: 'object',
        properties: {
          email: { type: 'string', format: 'email' },
          tags: { type: 'object', additionalProperties: { type: 'string' } },
          count: { type: 'integer', exclusiveMinimum: 0, multipleOf: 2 },
        },
      },
      'tools.save.inputSchema',
      warnings,
    );
    expect(schema.properties).toEqual({
      email: { type: 'string' },
      tags: { type: 'object' },
      count: { type: 'integer' },
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.setting).toBe('tools.save.inputSchema');
    for (const fragment of [
      'format "email" (at properties.email)',
      'additionalProperties (at properties.tags)',
      'exclusiveMinimum (at properties.count)',
      'multipleOf (at properties.count)',
    ])
      expect(warnings[0]?.message).toContain(fragment);
  });

  it('gives up on a recursive $ref with a warning instead of looping', () => {
    const warnings: Warning[] = [];
    toGeminiSchema({ type: 'object', properties: { node: { $ref: '#' } } }, 'responseFormat', warnings);
    expect(warnings[0]?.message).toContain('$ref #');
  });
});

describe('fromGeminiSchema', () => {
  it('reads upper-case types and nullable back as JSON Schema', () => {
    expect(
      fromGeminiSchema({
        type: 'OBJECT',
        properties: {
          a: { type: 'STRING', nullable: true },
          b: { type: 'ARRAY', items: { type: 'NUMBER' } },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: ['string', 'null'] }, b: { type: 'array', items: { type: 'number' } } },
    });
  });
});
