import {
  type ChatRequest,
  checkOptions,
  InvalidRequestError,
  type Middleware,
  type OptionShape,
} from 'ai.matey.core';
import type { z } from 'zod';
import { estimateInputTokens } from '../rate-limit/estimate-input-tokens.ts';
import { chatRequestSchema } from './chat-request-schema.ts';

export { chatRequestSchema } from './chat-request-schema.ts';

export interface ValidationOptions {
  /**
   * Models a request may name: exact ids or globs (`*` any run of characters, `?` one), e.g.
   * `gpt-4o*` or `anthropic/*`. A request without a model passes (the backend's default
   * serves it) unless `requireModel` is set.
   */
  allowedModels?: string[];
  /** Messages a request may hold at most. */
  maxMessages?: number;
  /** Estimated input tokens a request may hold at most (see `estimateInputTokens`). */
  maxInputTokens?: number;
  /** Refuse requests that name no model. */
  requireModel?: boolean;
  /** Replaces the token estimate, with a real tokenizer say. */
  estimateTokens?: (request: ChatRequest) => number;
}

const validationOptions: OptionShape<ValidationOptions> = {
  allowedModels: true,
  maxMessages: true,
  maxInputTokens: true,
  requireModel: true,
  estimateTokens: true,
};

/**
 * Refuses malformed or disallowed requests before they cost a call: the request's shape
 * (`chatRequestSchema`: roles, content parts, tool definitions, parameter ranges), the allowed
 * models, and limits on messages and estimated input tokens. A refusal is an
 * `InvalidRequestError` whose `param` names the field at fault (`messages[1].content`,
 * `temperature`) and whose message says what is wrong with it.
 *
 * @example
 * const validate = createValidationMiddleware({ allowedModels: ['gpt-4o-mini', 'claude-*'], maxMessages: 100 });
 * const bridge = new Bridge({ backend, middleware: [validate] });
 */
export function createValidationMiddleware(options: ValidationOptions = {}): Middleware {
  checkOptions('createValidationMiddleware', options, validationOptions);
  const allowed = options.allowedModels?.map(globToRegExp);
  const estimate = options.estimateTokens ?? estimateInputTokens;
  return {
    name: 'validation',
    async execute(request, next) {
      const result = chatRequestSchema.safeParse(request);
      if (!result.success) throw toInvalidRequest(result.error.issues, request);
      if (request.model === undefined) {
        if (options.requireModel) throw invalid('model', 'A model is required', 'model_required');
      } else if (allowed && !allowed.some((pattern) => pattern.test(request.model ?? ''))) {
        throw invalid('model', `The model '${request.model}' is not allowed here`, 'model_not_allowed');
      }
      if (options.maxMessages !== undefined && request.messages.length > options.maxMessages) {
        throw invalid(
          'messages',
          `messages holds ${request.messages.length} messages, more than the ${options.maxMessages} allowed`,
          'too_many_messages',
        );
      }
      if (options.maxInputTokens !== undefined) {
        const tokens = estimate(request);
        if (tokens > options.maxInputTokens) {
          throw invalid(
            'messages',
            `The input is about ${tokens} tokens, more than the ${options.maxInputTokens} allowed`,
            'input_too_long',
          );
        }
      }
      return next(request);
    },
  };
}

function invalid(param: string, message: string, code: string): InvalidRequestError {
  return new InvalidRequestError({ message, param, code });
}

/** `*` for any run of characters (slashes too), `?` for one; everything else literal. */
function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

type Issue = z.core.$ZodIssue;
type Path = ReadonlyArray<PropertyKey>;

function toInvalidRequest(issues: readonly Issue[], request: unknown): InvalidRequestError {
  const found = issues.map((issue) => mostSpecific(issue, []));
  const first = found[0] ?? { path: [], message: 'is not a valid chat request' };
  const param = formatPath(first.path);
  const described = found.slice(0, 3).map(({ path, message }) => describe(path, message, request));
  const more = found.length > 3 ? ` (and ${found.length - 3} more)` : '';
  return new InvalidRequestError({
    message: `Invalid request: ${described.join('; ')}${more}`,
    ...(param ? { param } : {}),
    code: 'invalid_request',
  });
}

/**
 * The issue that says most: inside a union (`string | Part[]`), the branch that got furthest
 * into the value, so `content[1].text` is reported rather than "not a string".
 */
function mostSpecific(issue: Issue, base: Path): { path: Path; message: string } {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path, message: issue.message };
  let best: { path: Path; message: string } | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const candidate = mostSpecific(first, path);
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  return best && best.path.length > path.length ? best : { path, message: issue.message };
}

function describe(path: Path, message: string, request: unknown): string {
  const name = formatPath(path) || 'the request';
  const value = valueAt(request, path);
  const got = typeof value === 'number' || typeof value === 'boolean' ? ` (got ${value})` : '';
  return `${name}: ${message}${got}`;
}

/** `['messages', 0, 'content']` as `messages[0].content`. */
function formatPath(path: Path): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
