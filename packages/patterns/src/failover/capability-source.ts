import type { Backend, BackendCapabilities } from 'ai.matey.core';

/** Where per-provider capabilities come from: a Router, a table, or a lookup function. */
export type CapabilitySource =
  | { getBackend(name: string): Backend | undefined }
  | Record<string, Partial<BackendCapabilities>>
  | ((provider: string) => Partial<BackendCapabilities> | undefined);

/** Whether `provider` may continue another's partial answer; with no source, every one may. */
export function allowsContinuation(source: CapabilitySource | undefined, provider: string): boolean {
  if (!source) return true;
  if (typeof source === 'function') return source(provider)?.continuation === true;
  if (typeof source.getBackend === 'function') {
    return (
      (source as { getBackend(name: string): Backend | undefined }).getBackend(provider)?.metadata
        .capabilities.continuation === true
    );
  }
  return (source as Record<string, Partial<BackendCapabilities>>)[provider]?.continuation === true;
}
