import type { ModelCatalog } from '../../backend.ts';
import type { ChatRequest } from '../../spec/request.ts';
import type { Registration } from '../registration.ts';

/** What a strategy sees when it picks a backend for one request. */
export interface StrategyContext {
  /** Backends fit for the request (circuit closed, capabilities present), or all when none is. */
  pool: readonly Registration[];
  /** Every registered backend, in registration order. */
  registrations: ReadonlyMap<string, Registration>;
  defaultBackend: string | undefined;
  modelMapping: Readonly<Record<string, string>> | undefined;
  catalog: ModelCatalog | undefined;
  customStrategy: ((request: ChatRequest, candidates: readonly string[]) => string | undefined) | undefined;
}

/** A strategy's choice: a backend name (undefined when it has none) and why, for routing info. */
export interface StrategyPick {
  name: string | undefined;
  reason: string;
}

/** Picks the backend for a request that does not name one. May keep state between calls. */
export type Strategy = (request: ChatRequest, context: StrategyContext) => StrategyPick;
