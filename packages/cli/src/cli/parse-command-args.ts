import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs, strict, with its errors (unknown option, missing value) turned into a
 * `UsageError` whose message a person can act on.
 */
export function parseCommandArgs<const O extends Options>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${command}: ${message.replace(/\. To specify a positional.*$/s, '')}`);
  }
}

/** A flag's number value, checked: an integer within `[min, max]` unless `float` is set. */
export function numberFlag(
  name: string,
  value: string | undefined,
  {
    min = 0,
    max = Number.MAX_SAFE_INTEGER,
    float = false,
  }: { min?: number; max?: number; float?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  const valid = value.trim() !== '' && Number.isFinite(parsed) && (float || Number.isInteger(parsed));
  if (!valid || parsed < min || parsed > max) {
    const kind = float ? 'a number' : 'an integer';
    throw new UsageError(`--${name} wants ${kind} from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}
