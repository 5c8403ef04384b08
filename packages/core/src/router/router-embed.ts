import type { BackendCallOptions, ModelCatalog } from '../backend.ts';
import { ModelNotFoundError } from '../errors/model-not-found-error.ts';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.ts';
import type { Middleware } from '../middleware/middleware.ts';
import type { EmbedRequest, EmbedResponse } from '../spec/embed.ts';
import type { ChatRequest } from '../spec/request.ts';
import { parseModelRef } from '../util/parse-model-ref.ts';
import { runAttempts } from './attempt-loop.ts';
import type { Registration } from './registration.ts';
import { RouterCall } from './router-call.ts';
import { selectBackend } from './selection.ts';
import type { Strategy } from './strategies/index.ts';

/** What an embedding call needs from its Router. */
export interface EmbedRouting {
  name: string;
  registrations: ReadonlyMap<string, Registration>;
  strategy: Strategy;
  defaultBackend: string | undefined;
  modelMapping: Record<string, string> | undefined;
  fallbackChain: string[] | undefined;
  catalog: ModelCatalog | undefined;
  customStrategy: ((request: ChatRequest, candidates: readonly string[]) => string | undefined) | undefined;
  /** The Router's attempt middleware (their `embed` hooks run around each attempt). */
  middleware: readonly Middleware[];
}

/**
 * Routes an embedding call as a chat call is routed (a named backend, a model prefix, the
 * strategy, the fallback chain, circuits, the attempt budget), among the backends that have
 * `embed` only: the others are never picked, not even as a default or a fallback. The strategy
 * sees the call as a request with the embedding's model and metadata and no messages.
 */
export async function routeEmbed(
  request: EmbedRequest,
  options: BackendCallOptions,
  routing: EmbedRouting,
): Promise<EmbedResponse> {
  const embedding = new Map([...routing.registrations].filter(([, r]) => r.backend.embed !== undefined));
  const call = new RouterCall(options.attempts);
  try {
    refuseNamedWithoutEmbed(request, routing.registrations);
    if (embedding.size === 0) {
      throw new UnsupportedFeatureError({
        message: `No backend of router '${routing.name}' serves embeddings`,
        code: 'embeddings_not_supported',
        param: 'model',
      });
    }
    const defaultBackend =
      routing.defaultBackend !== undefined && embedding.has(routing.defaultBackend)
        ? routing.defaultBackend
        : embedding.keys().next().value;
    // Routing reads only the model and the metadata: the call goes through it as a chat request without messages.
    const standIn: ChatRequest = {
      messages: [],
      ...(request.model === undefined ? {} : { model: request.model }),
      ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
    };
    const context = {
      registrations: embedding,
      defaultBackend,
      modelMapping: routing.modelMapping,
      catalog: routing.catalog,
      customStrategy: routing.customStrategy,
    };
    let selection: ReturnType<typeof selectBackend>;
    try {
      selection = { ...selectBackend(standIn, routing.strategy, context, 'embed'), embedding: true };
    } catch (error) {
      // No embedder serves the model: say so when a backend without embeddings does.
      const chat = ModelNotFoundError.isInstance(error)
        ? selectBackend(
            standIn,
            routing.strategy,
            { ...context, registrations: routing.registrations },
            'embed',
          )
        : undefined;
      if (chat)
        refuseNamedWithoutEmbed(
          { ...request, metadata: { provider: chat.primary.name } },
          routing.registrations,
          'model',
        );
      throw error;
    }
    const loop = {
      selection,
      call,
      fallbackChain: routing.fallbackChain,
      registrations: embedding,
      options,
      middleware: routing.middleware,
    };
    return await runAttempts(loop, async (attempt) => {
      const embed = attempt.registration.backend.embed;
      if (!embed) throw new UnsupportedFeatureError({ message: 'The backend lost its embed method' });
      const asked =
        attempt.request.model === undefined ? request : { ...request, model: attempt.request.model };
      const response = await attempt.embed(asked, (passed) =>
        embed.call(attempt.registration.backend, passed, attempt.options),
      );
      return { ...response, routing: attempt.routing() };
    });
  } catch (thrown) {
    throw call.routed(thrown);
  }
}

/** A request that names its backend (metadata or model prefix) gets a clear error when that one has no `embed`. */
function refuseNamedWithoutEmbed(
  request: EmbedRequest,
  registrations: ReadonlyMap<string, Registration>,
  param?: string,
): void {
  const named = request.metadata?.provider;
  const prefix = request.model === undefined ? undefined : parseModelRef(request.model).provider;
  const name = typeof named === 'string' ? named : prefix;
  const registration = name === undefined ? undefined : registrations.get(name);
  if (registration && !registration.backend.embed) {
    throw new UnsupportedFeatureError({
      message: `Backend '${registration.name}' does not serve embeddings`,
      provider: registration.backend.metadata.provider,
      code: 'embeddings_not_supported',
      param: param ?? (typeof named === 'string' ? 'metadata.provider' : 'model'),
    });
  }
}
