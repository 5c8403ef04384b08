import { InvalidRequestError } from 'ai.matey.core';
import type { z } from 'zod';

/** The first issue as an `InvalidRequestError`, its path written as OpenAI does (`messages[2].content`). */
export function invalidOpenAIChatRequest(issues: z.core.$ZodIssue[]): InvalidRequestError {
  const issue = issues[0];
  if (!issue) return new InvalidRequestError({ message: 'Invalid request body.', code: 'invalid_request' });
  const { path, message } = deepestIssue(issue, issue.path);
  const param = formatPath(path);
  return new InvalidRequestError({
    message: param ? `Invalid value for '${param}': ${message}` : message,
    ...(param ? { param } : {}),
    code: 'invalid_value',
  });
}

/**
 * Within a union (`content` is a string or an array of parts), the branch that got furthest
 * names the field at fault: `messages[0].content[1].text`, not just `messages[0].content`.
 */
function deepestIssue(
  issue: z.core.$ZodIssue,
  path: PropertyKey[],
): { path: PropertyKey[]; message: string } {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path, message: issue.message };
  let best: z.core.$ZodIssue | undefined;
  for (const branch of issue.errors) {
    for (const candidate of branch) if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  if (!best || best.path.length === 0) {
    const expected = issue.errors
      .flatMap((branch) =>
        branch.map((candidate) => (candidate.code === 'invalid_type' ? candidate.expected : undefined)),
      )
      .filter((value): value is NonNullable<typeof value> => value !== undefined);
    return {
      path,
      message: expected.length > 0 ? `expected ${[...new Set(expected)].join(' or ')}` : issue.message,
    };
  }
  return deepestIssue(best, [...path, ...best.path]);
}

function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
