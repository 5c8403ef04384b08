import { ModelNotFoundError } from '../errors/model-not-found-error.ts';
import type { ChatRequest } from '../spec/request.ts';
import { parseModelRef } from '../util/parse-model-ref.ts';
import type { Registration } from './registration.ts';
import { missingCapabilities } from './request-needs.ts';
import type { Strategy, StrategyContext } from './strategies/index.ts';

/** The backend a call goes to first, why, and whether it may fall back to others. */
export interface Selection {
  primary: Registration;
  reason: string;
  allowFallback: boolean;
  /** The request as the primary gets it (a `provider/` prefix removed). */
  request: ChatRequest;
  /** The Router took a `provider/` prefix off the model: the backend must not strip another. */
  modelResolved: boolean;
  /** An embedding call: backends are fit by `embed`, not by chat capabilities. */
  embedding?: boolean;
}

/**
 * Chooses the first backend for a request. The request wins when it names one, by
 * `metadata.provider` or a `provider/model` prefix (then there is no fallback: it asked for
 * that one); otherwise the strategy picks among the backends fit for the request.
 */
export function selectBackend(
  request: ChatRequest,
  strategy: Strategy,
  context: Omit<StrategyContext, 'pool'>,
  kind: 'chat' | 'embed' = 'chat',
): Selection {
  const { registrations } = context;
  if (registrations.size === 0) {
    throw new ModelNotFoundError({ message: 'The router has no backends registered', status: 503 });
  }
  const named = request.metadata?.provider;
  if (typeof named === 'string') {
    const registration = registrations.get(named);
    if (!registration) {
      throw new ModelNotFoundError({
        message: `No backend named '${named}' is registered`,
        param: 'metadata.provider',
      });
    }
    return {
      primary: registration,
      reason: 'named by request metadata.provider',
      allowFallback: false,
      request,
      modelResolved: false,
    };
  }
  const ref = request.model ? parseModelRef(request.model) : undefined;
  const prefixed = ref?.provider === undefined ? undefined : registrations.get(ref.provider);
  if (ref && prefixed) {
    return {
      primary: prefixed,
      reason: `model prefix '${prefixed.name}/'`,
      allowFallback: false,
      request: { ...request, model: ref.model },
      modelResolved: true,
    };
  }
  const { name, reason } = strategy(request, { ...context, pool: fitPool(request, registrations, kind) });
  const registration = name === undefined ? undefined : registrations.get(name);
  if (!registration) {
    throw new ModelNotFoundError({
      message: request.model
        ? `No backend serves model '${request.model}'`
        : 'No backend could be chosen for the request',
      param: 'model',
    });
  }
  return { primary: registration, reason, allowFallback: true, request, modelResolved: false };
}

/** Backends whose circuit lets calls through and that can serve the request; all of them when none can. */
function fitPool(
  request: ChatRequest,
  registrations: ReadonlyMap<string, Registration>,
  kind: 'chat' | 'embed',
): Registration[] {
  const all = [...registrations.values()];
  const usable = all.filter(
    (r) =>
      (r.breaker?.isCallPermitted ?? true) &&
      (kind === 'embed' || r.backend.metadata.capabilities.chat !== false) &&
      missingCapabilities(request, r.backend.metadata.capabilities).length === 0,
  );
  return usable.length > 0 ? usable : all;
}
