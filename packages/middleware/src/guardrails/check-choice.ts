/**
 * Throws a `TypeError` naming the option when `value` is set but not one of `allowed` (config
 * files reach these factories untyped).
 *
 * @example
 * checkChoice('piiGuardrail', 'action', options.action, ['rewrite', 'block', 'flag']);
 */
export function checkChoice(where: string, option: string, value: unknown, allowed: readonly string[]): void {
  if (value === undefined || (typeof value === 'string' && allowed.includes(value))) return;
  throw new TypeError(
    `${where}: ${option} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`,
  );
}

/** Throws unless `phases` is unset or a non-empty list of `input` and `output`. */
export function checkPhases(where: string, phases: unknown): void {
  if (phases === undefined) return;
  if (Array.isArray(phases) && phases.length > 0 && phases.every((p) => p === 'input' || p === 'output'))
    return;
  throw new TypeError(`${where}: phases must be a non-empty list of 'input' and 'output'`);
}
