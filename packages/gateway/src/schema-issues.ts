import type { z } from 'zod';
import type { ConfigIssue } from './config-error.ts';

type Def = Record<string, unknown> & { type: string };

/**
 * zod's issues as config issues: one per unknown field, at the field's own line, naming the
 * fields that are known there; for a union (`retry: false | {…}`), the branch that got deepest.
 */
export function schemaIssues(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  lineOf: (path: readonly string[]) => number | undefined,
): ConfigIssue[] {
  return issues.flatMap((issue) => {
    const explained = explainedIssue(issue);
    const path = explained.path.map(String);
    if (explained.code === 'unrecognized_keys') {
      const known = fieldsAt(schema, path);
      return explained.keys.map((key) => ({
        field: [...path, key].join('.'),
        line: lineOf([...path, key]),
        message: `unknown field${known ? ` (known here: ${known.join(', ')})` : ''}`,
      }));
    }
    return [{ field: path.join('.') || '(root)', line: lineOf(path), message: explained.message }];
  });
}

/** An issue with the branches of a union flattened into it, every path made absolute. */
export function leafIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  return issue.errors
    .flat()
    .flatMap((inner) => leafIssues({ ...inner, path: [...issue.path, ...inner.path] }));
}

function explainedIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  const deepest = leafIssues(issue).reduce((best, leaf) =>
    leaf.path.length > best.path.length ? leaf : best,
  );
  return deepest.path.length > issue.path.length ? deepest : issue;
}

/** The field names the schema accepts in the object at `path`, if it is an object. */
function fieldsAt(schema: z.ZodType, path: readonly string[]): string[] | undefined {
  let def: Def | undefined = defOf(schema);
  for (const key of path) {
    def = def && objectOf(def);
    if (!def) return undefined;
    if (def.type === 'object') def = defOf((def.shape as Record<string, z.ZodType>)[key]);
    else if (def.type === 'record') def = defOf(def.valueType as z.ZodType);
    else if (def.type === 'array') def = defOf(def.element as z.ZodType);
    else return undefined;
  }
  def = def && objectOf(def);
  return def?.type === 'object' ? Object.keys(def.shape as object) : undefined;
}

/** Through defaults, optionals and unions, to the object, record or array inside. */
function objectOf(def: Def): Def | undefined {
  if (['default', 'prefault', 'optional', 'nullable'].includes(def.type)) {
    const inner = defOf(def.innerType as z.ZodType);
    return inner && objectOf(inner);
  }
  if (def.type === 'union') {
    for (const option of def.options as z.ZodType[]) {
      const inner = defOf(option);
      const found = inner && objectOf(inner);
      if (found) return found;
    }
    return undefined;
  }
  return ['object', 'record', 'array'].includes(def.type) ? def : undefined;
}

function defOf(schema: z.ZodType | undefined): Def | undefined {
  return (schema as unknown as { _zod?: { def: Def } } | undefined)?._zod?.def;
}
