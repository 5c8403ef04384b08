import type { JsonSchema, Warning } from 'ai.matey.core';

type SchemaObject = Record<string, unknown>;

/** Keywords Gemini's OpenAPI-style `Schema` accepts; anything else makes it answer 400. */
const PASSED = new Set([
  'description',
  'title',
  'enum',
  'maxItems',
  'minItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'default',
  'example',
  'propertyOrdering',
]);

/** Annotations with no effect on what the model may produce: dropped without a warning. */
const HARMLESS = new Set([
  '$schema',
  '$id',
  '$comment',
  '$anchor',
  '$defs',
  'definitions',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentMediaType',
  'contentEncoding',
  'strict',
]);

const STRING_FORMATS = new Set(['enum', 'date-time']);
const NUMBER_FORMATS = new Set(['float', 'double', 'int32', 'int64']);
const MAX_REF_DEPTH = 8;

interface Walk {
  root: SchemaObject;
  removed: string[];
}

/**
 * Converts a JSON Schema into the OpenAPI subset Gemini's `parameters` and `responseSchema`
 * accept: local `$ref`s are inlined, `type: [T, 'null']` becomes `nullable`, `oneOf` becomes
 * `anyOf`, `const` becomes a one-value `enum`, and keywords Gemini rejects are removed. Removing
 * one that constrains the output (not `additionalProperties: false`, which is Gemini's own
 * behaviour, nor annotations like `$schema`) adds one warning naming the keywords and where.
 */
export function toGeminiSchema(schema: JsonSchema, setting: string, warnings: Warning[]): SchemaObject {
  const walk: Walk = { root: schema, removed: [] };
  const converted = convert(schema, '', walk, 0);
  if (walk.removed.length > 0)
    warnings.push({
      type: 'unsupported-setting',
      setting,
      message: `Gemini does not accept these JSON Schema keywords, which were removed: ${walk.removed.join(', ')}`,
    });
  return converted;
}

/** True for a schema that declares an object with no properties (Gemini rejects those as parameters). */
export function isEmptyObjectSchema(schema: SchemaObject): boolean {
  const properties = schema.properties;
  return (
    (schema.type === undefined || schema.type === 'object' || schema.type === 'OBJECT') &&
    (properties === undefined || (isObject(properties) && Object.keys(properties).length === 0)) &&
    schema.anyOf === undefined
  );
}

function convert(input: unknown, path: string, walk: Walk, depth: number): SchemaObject {
  if (!isObject(input)) return {};
  let schema = input;
  if (typeof schema.$ref === 'string') {
    const target = depth < MAX_REF_DEPTH ? resolveRef(schema.$ref, walk.root) : undefined;
    if (!target) {
      walk.removed.push(`$ref ${schema.$ref} (at ${where(path)})`);
      return {};
    }
    const { $ref: _ref, ...rest } = schema;
    schema = { ...target, ...rest };
    depth++;
  }
  if (Array.isArray(schema.allOf)) schema = mergeAllOf(schema);

  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (PASSED.has(key)) out[key] = value;
    else if (key === 'type') Object.assign(out, convertType(value));
    else if (key === 'properties' && isObject(value)) {
      const properties: SchemaObject = {};
      for (const [name, property] of Object.entries(value))
        properties[name] = convert(property, `${at}.${name}`, walk, depth);
      out.properties = properties;
    } else if (key === 'required' && Array.isArray(value)) out.required = value;
    else if (key === 'items') {
      if (Array.isArray(value)) walk.removed.push(`tuple items (at ${where(path)})`);
      else out.items = convert(value, at, walk, depth);
    } else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out.anyOf = value.map((option, i) => convert(option, `${at}[${i}]`, walk, depth));
    } else if (key === 'const') {
      if (typeof value === 'string') out.enum = [value];
      else walk.removed.push(`const (at ${where(path)})`);
    } else if (key === 'format' && typeof value === 'string') {
      if (STRING_FORMATS.has(value) || NUMBER_FORMATS.has(value)) out.format = value;
      else walk.removed.push(`format "${value}" (at ${where(path)})`);
    } else if (key === 'additionalProperties') {
      if (value !== false) walk.removed.push(`additionalProperties (at ${where(path)})`);
    } else if (key === 'exclusiveMinimum' || key === 'exclusiveMaximum') {
      walk.removed.push(`${key} (at ${where(path)})`);
    } else if (!HARMLESS.has(key) && key !== '$ref' && key !== 'allOf') {
      walk.removed.push(`${key} (at ${where(path)})`);
    }
  }
  // An `anyOf` that came from a nullable union (`anyOf: [T, {type: 'null'}]`) reads better flat.
  if (Array.isArray(out.anyOf)) {
    const options = out.anyOf as SchemaObject[];
    const nonNull = options.filter((option) => !(option.nullable === true && option.type === undefined));
    if (nonNull.length < options.length) {
      out.nullable = true;
      if (nonNull.length === 1) {
        delete out.anyOf;
        Object.assign(out, nonNull[0], { nullable: true });
      } else out.anyOf = nonNull;
    }
  }
  return out;
}

function convertType(value: unknown): SchemaObject {
  if (typeof value === 'string') return value === 'null' ? { nullable: true } : { type: value };
  if (!Array.isArray(value)) return {};
  const types = value.filter((type): type is string => typeof type === 'string' && type !== 'null');
  const nullable = types.length < value.length ? { nullable: true } : {};
  if (types.length === 1) return { type: types[0], ...nullable };
  if (types.length === 0) return nullable;
  return { anyOf: types.map((type) => ({ type })), ...nullable };
}

function mergeAllOf(schema: SchemaObject): SchemaObject {
  const { allOf, ...rest } = schema;
  const merged: SchemaObject = {};
  const properties: SchemaObject = {};
  const required = new Set<unknown>();
  for (const part of [...(allOf as unknown[]), rest]) {
    if (!isObject(part)) continue;
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isObject(value)) Object.assign(properties, value);
      else if (key === 'required' && Array.isArray(value)) for (const name of value) required.add(name);
      else merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function resolveRef(ref: string, root: SchemaObject): SchemaObject | undefined {
  if (ref === '#') return root;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match?.[1] || !match[2]) return undefined;
  const definitions = root[match[1]];
  if (!isObject(definitions)) return undefined;
  const target = definitions[decodeURIComponent(match[2]).replaceAll('~1', '/').replaceAll('~0', '~')];
  return isObject(target) ? target : undefined;
}

/**
 * Reads a Gemini `Schema` (types often in upper case, `nullable`) back into JSON Schema, for
 * requests that arrive in Gemini's format.
 */
export function fromGeminiSchema(input: unknown): JsonSchema {
  if (!isObject(input)) return {};
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'nullable') continue;
    else if (key === 'properties' && isObject(value)) {
      const properties: SchemaObject = {};
      for (const [name, property] of Object.entries(value)) properties[name] = fromGeminiSchema(property);
      out.properties = properties;
    } else if (key === 'items') out.items = fromGeminiSchema(value);
    else if (key === 'anyOf' && Array.isArray(value)) out.anyOf = value.map(fromGeminiSchema);
    else out[key] = value;
  }
  if (input.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }];
    else out.type = 'null';
  }
  return out;
}

function where(path: string): string {
  return path === '' ? 'the root' : path;
}

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
