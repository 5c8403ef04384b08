import { isDeepStrictEqual } from 'node:util';
import type { ChatRequest } from 'ai.matey.core';
import type { ExtraFieldPolicy } from 'ai.matey.wire';

/** A request's extra fields (those in `providerOptions`), sorted by what the gateway does with them. */
export interface ExtraFieldReport {
  /** Known fields that raise the cost or steer routing, with a value other than their defaults. */
  restricted: string[];
  /** Fields no codec knows: sent upstream only to providers that allow pass-through. */
  unknown: string[];
}

/**
 * Sorts the fields a decoder left in `providerOptions` by the codecs' own lists (see
 * `ExtraFieldPolicy`). Fields under a `providerOptions` entry no codec declares are unknown.
 */
export function sortExtraFields(
  request: ChatRequest,
  policies: ReadonlyMap<string, ExtraFieldPolicy>,
): ExtraFieldReport {
  const report: ExtraFieldReport = { restricted: [], unknown: [] };
  for (const [entry, fields] of Object.entries(request.providerOptions ?? {})) {
    const policy = policies.get(entry);
    for (const [name, value] of Object.entries(fields ?? {})) {
      if (policy?.carried.includes(name)) continue;
      // Own fields only: a caller's `valueOf` or `constructor` must not find Object.prototype's.
      const harmless = policy && Object.hasOwn(policy.restricted, name) ? policy.restricted[name] : undefined;
      if (harmless === undefined) report.unknown.push(name);
      else if (
        typeof harmless === 'function'
          ? !harmless(value)
          : !harmless.some((allowed) => isDeepStrictEqual(allowed, value))
      )
        report.restricted.push(name);
    }
  }
  return report;
}
