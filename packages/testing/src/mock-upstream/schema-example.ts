import type { JsonSchema } from 'ai.matey.core';

/**
 * A small value valid against a JSON schema, the same every time: the `const`, `default` or first
 * `enum` value when there is one; otherwise an object with its required properties, a string
 * `"example"` (as long as `minLength` asks), the least number allowed, `false`, or an array of
 * `minItems` items. `anyOf`/`oneOf` take the first branch, `allOf` merges its objects.
 *
 * @example
 * schemaExample({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
 * // { city: 'example' }
 */
export function schemaExample(schema: JsonSchema, depth = 0): unknown {
  if ('const' in schema) return schema.const;
  if ('default' in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const branch = firstSchema(schema.anyOf) ?? firstSchema(schema.oneOf);
  if (branch) return schemaExample(branch, depth + 1);
  if (Array.isArray(schema.allOf))
    return Object.assign({}, ...schema.allOf.map((part) => schemaExample(asSchema(part), depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type.find((name) => name !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : undefined)) {
    case 'string': {
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return 'example'.padEnd(min, 'e');
    }
    case 'integer':
    case 'number': {
      const least =
        typeof schema.minimum === 'number'
          ? schema.minimum
          : typeof schema.exclusiveMinimum === 'number'
            ? schema.exclusiveMinimum + 1
            : 1;
      return typeof schema.maximum === 'number' ? Math.min(least, schema.maximum) : least;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const items = asSchema(schema.items);
      return Array.from({ length: min }, () => schemaExample(items, depth + 1));
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
      // Deep schemas stop at their required fields' first level of nesting, so a cycle cannot recurse forever.
      if (depth > 8) return {};
      return Object.fromEntries(
        required.map((name) => [name, schemaExample(asSchema(properties[name]), depth + 1)]),
      );
    }
    default:
      return {};
  }
}

function asSchema(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : {};
}

function firstSchema(value: unknown): JsonSchema | undefined {
  return Array.isArray(value) && value.length > 0 ? asSchema(value[0]) : undefined;
}
