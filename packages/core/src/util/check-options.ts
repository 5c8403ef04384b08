import { UnknownOptionError } from './unknown-option-error.ts';

type AllKeys<T> = T extends unknown ? keyof T : never;
type ValueAt<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;
/** The object part of an option's type (of its elements, for a list): what a nested shape describes. */
type ObjectPart<V> = Exclude<
  NonNullable<V> extends infer U ? (U extends readonly (infer E)[] ? E : U) : never,
  string | number | boolean | bigint | symbol | ((...args: never[]) => unknown)
>;

/**
 * The options a factory knows, written once next to its options type: `true` for an option
 * whose value is not looked into, a nested shape for an object option whose keys are checked
 * too (for a list of objects, each one's). Every key of `T` must be listed (a new option that is not added here fails to compile),
 * and no other.
 */
export type OptionShape<T> = {
  readonly [K in AllKeys<T>]-?: true | OptionShape<ObjectPart<ValueAt<T, K>>>;
};

/**
 * Throws `UnknownOptionError` for the first option `shape` does not list, looking into nested
 * plain objects where the shape does. An option nobody reads must never be ignored in silence:
 * `rateLimit: { maxRequests: 10 }` given to a processor that wanted `requestsPerMinute` would run
 * unthrottled.
 *
 * @example
 * const timeoutOptions: OptionShape<TimeoutOptions> = { ms: true, onTimeout: true };
 * export function createTimeoutMiddleware(options: TimeoutOptions) {
 *   checkOptions('createTimeoutMiddleware', options, timeoutOptions);
 *   …
 * }
 */
export function checkOptions<T>(owner: string, options: T | undefined, shape: OptionShape<T>): void {
  checkLevel(owner, options, shape as unknown as Record<string, unknown>, '');
}

function checkLevel(owner: string, value: unknown, shape: Record<string, unknown>, prefix: string): void {
  if (!isPlainObject(value)) return;
  for (const key of Object.keys(value)) {
    const inner = shape[key];
    if (inner === undefined || !Object.hasOwn(shape, key)) {
      const known = Object.keys(shape);
      throw new UnknownOptionError(
        owner,
        prefix + key,
        known.map((k) => prefix + k),
        nearest(key, known, prefix),
      );
    }
    if (inner === true) continue;
    const nested = value[key];
    if (Array.isArray(nested)) {
      for (const [index, item] of nested.entries()) {
        checkLevel(owner, item, inner as Record<string, unknown>, `${prefix}${key}[${index}].`);
      }
    } else {
      checkLevel(owner, nested, inner as Record<string, unknown>, `${prefix}${key}.`);
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The known key within a third of its length in edits (case aside), else undefined. */
function nearest(key: string, known: readonly string[], prefix: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  const typed = key.toLowerCase();
  for (const name of known) {
    const candidate = name.toLowerCase();
    // One name inside the other (`timeout` for `timeoutMs`) counts as less than one edit, the
    // less the more of the longer name it covers (`deploymentName`: `deployment` before `name`).
    const shorter = Math.min(typed.length, candidate.length);
    const longer = Math.max(typed.length, candidate.length);
    const inside = shorter >= 4 && (typed.includes(candidate) || candidate.includes(typed));
    const distance = inside ? 1 - shorter / longer : editDistance(typed, candidate);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.ceil(best.name.length / 3))
    ? prefix + best.name
    : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}
