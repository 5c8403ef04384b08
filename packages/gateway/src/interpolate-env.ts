import type { z } from 'zod';

/** An unset `${NAME}` and the dotted path of the field it is in. */
export interface MissingVariable {
  name: string;
  path: string;
}

export interface Interpolated {
  value: unknown;
  missing: MissingVariable[];
  /** Paths whose whole value was one variable (`port: ${PORT}`): they may become numbers. */
  whole: Set<string>;
}

/** Replaces `${VAR}` and `${VAR:-default}` in every string of `value` with environment values. */
export function interpolateEnv(value: unknown, env: NodeJS.ProcessEnv): Interpolated {
  const result: Interpolated = { value: undefined, missing: [], whole: new Set() };
  result.value = walk(value, env, '', result);
  return result;
}

function walk(value: unknown, env: NodeJS.ProcessEnv, path: string, out: Interpolated): unknown {
  if (typeof value === 'string') {
    if (/^\$\{[A-Z0-9_]+(?::-[^}]*)?\}$/i.test(value)) out.whole.add(path);
    return value.replace(/\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/gi, (_match, name: string, fallback?: string) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      out.missing.push({ name, path });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => walk(item, env, join(path, String(i)), out));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, env, join(path, k), out)]));
  }
  return value;
}

/**
 * Turns whole-variable strings into the number or boolean the schema asked for (`port: ${PORT}`
 * interpolates to a string); true if any changed.
 */
export function coerceInterpolated(
  raw: unknown,
  issues: readonly z.core.$ZodIssue[],
  whole: Set<string>,
): boolean {
  let changed = false;
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || issue.path.length === 0) continue;
    if (issue.expected !== 'number' && issue.expected !== 'boolean') continue;
    if (!whole.has(issue.path.map(String).join('.'))) continue;
    const container = issue.path
      .slice(0, -1)
      .reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown>)?.[key as PropertyKey], raw) as
      | Record<PropertyKey, unknown>
      | undefined;
    const key = issue.path.at(-1) as PropertyKey;
    const text = container?.[key];
    if (typeof text !== 'string' || !container) continue;
    const value =
      issue.expected === 'number'
        ? text.trim() !== '' && Number.isFinite(Number(text))
          ? Number(text)
          : undefined
        : text === 'true' || text === 'false'
          ? text === 'true'
          : undefined;
    if (value === undefined) continue;
    container[key] = value;
    changed = true;
  }
  return changed;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
