import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type GatewayConfig, gatewayConfigSchema } from './config-schema.ts';

/** A configuration problem, located: file, line, and the dotted path of the field. */
export class ConfigError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;

  constructor(message: string, file: string, line?: number, field?: string) {
    super(message);
    this.name = 'ConfigError';
    this.file = file;
    this.line = line;
    this.field = field;
  }
}

/**
 * Reads a gateway config file (YAML or JSON), replaces `${VAR}` and `${VAR:-default}` with
 * environment values, and validates it. Errors name the file, the line and the field.
 */
export async function loadConfigFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GatewayConfig> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`${path}: cannot read the config file: ${error.code ?? error.message}`, path);
  });
  return parseConfig(text, path, env);
}

export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = document.errors[0];
  if (syntax) {
    // Without prettyErrors the parser leaves `linePos` unset: locate the error from its offset.
    const line = syntax.linePos?.[0]?.line ?? lineCounter.linePos(syntax.pos[0]).line;
    throw new ConfigError(`${file}${line ? `:${line}` : ''}: ${syntax.message.split('\n')[0]}`, file, line);
  }
  const missing: Array<{ name: string; path: string }> = [];
  const whole = new Set<string>();
  const raw = interpolate(document.toJS() ?? {}, env, '', missing, whole);
  const first = missing[0];
  if (first) {
    const line = lineOf(document, lineCounter, first.path.split('.'));
    throw new ConfigError(
      `${file}${line ? `:${line}` : ''}: ${first.path}: environment variable ${first.name} is not set (use \${${first.name}:-default} for a default)`,
      file,
      line,
      first.path,
    );
  }
  let parsed = gatewayConfigSchema.safeParse(raw);
  // `port: ${PORT:-8787}` interpolates to a string; where the schema wants a number or boolean
  // and the whole value was one variable, take the value's meaning, not its type.
  if (!parsed.success && coerceInterpolated(raw, parsed.error.issues.flatMap(leafIssues), whole)) {
    parsed = gatewayConfigSchema.safeParse(raw);
  }
  if (parsed.success) return parsed.data;
  const issue = explainedIssue(parsed.error.issues[0] as z.core.$ZodIssue);
  const path = issue.path.map(String);
  const line = lineOf(document, lineCounter, path);
  const field = path.join('.') || '(root)';
  throw new ConfigError(`${file}${line ? `:${line}` : ''}: ${field}: ${issue.message}`, file, line, field);
}

function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: string,
  missing: Array<{ name: string; path: string }>,
  whole: Set<string>,
): unknown {
  if (typeof value === 'string') {
    if (/^\$\{[A-Z0-9_]+(?::-[^}]*)?\}$/i.test(value)) whole.add(path);
    return value.replace(
      /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/gi,
      (_match, name: string, fallback: string | undefined) => {
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        missing.push({ name, path });
        return '';
      },
    );
  }
  if (Array.isArray(value))
    return value.map((item, i) => interpolate(item, env, join(path, String(i)), missing, whole));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, env, join(path, k), missing, whole)]),
    );
  }
  return value;
}

/** Turns whole-variable strings into the number or boolean the schema asked for; true if any changed. */
function coerceInterpolated(raw: unknown, issues: readonly z.core.$ZodIssue[], whole: Set<string>): boolean {
  let changed = false;
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || issue.path.length === 0) continue;
    if (issue.expected !== 'number' && issue.expected !== 'boolean') continue;
    if (!whole.has(issue.path.map(String).join('.'))) continue;
    const parent = issue.path
      .slice(0, -1)
      .reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown>)?.[key as PropertyKey], raw);
    const key = issue.path.at(-1) as PropertyKey;
    const container = parent as Record<PropertyKey, unknown> | undefined;
    const text = container?.[key];
    if (typeof text !== 'string') continue;
    const value =
      issue.expected === 'number'
        ? text.trim() !== '' && Number.isFinite(Number(text))
          ? Number(text)
          : undefined
        : text === 'true' || text === 'false'
          ? text === 'true'
          : undefined;
    if (value === undefined || !container) continue;
    container[key] = value;
    changed = true;
  }
  return changed;
}

/** An issue with the branches of a union flattened into it, every path made absolute. */
function leafIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  return issue.errors
    .flat()
    .flatMap((inner) => leafIssues({ ...inner, path: [...issue.path, ...inner.path] }));
}

/**
 * The issue to report. A union (`retry: false | {…}`) says only "Invalid input"; the branch
 * that got deepest into the value (the object one, for an object) says what is wrong in it.
 */
function explainedIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  const deepest = leafIssues(issue).reduce((best, leaf) =>
    leaf.path.length > best.path.length ? leaf : best,
  );
  return deepest.path.length > issue.path.length ? deepest : issue;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The line of the deepest node along `path` that exists in the document. */
function lineOf(
  document: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: string[],
): number | undefined {
  let node: unknown = document.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String((item.key as { value?: unknown })?.value ?? item.key) === key,
      );
      if (!pair) break;
      offset = (pair.key as { range?: [number] })?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(key)];
      offset = (node as { range?: [number] } | undefined)?.range?.[0] ?? offset;
    } else break;
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}
