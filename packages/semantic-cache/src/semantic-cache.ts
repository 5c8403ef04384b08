import {
  type CallContext,
  type ChatRequest,
  type ChatResponse,
  ChatStream,
  checkOptions,
  type EmbedRequest,
  type EmbedResponse,
  type Middleware,
  type MiddlewareContext,
  mapReply,
  type OptionShape,
  type Reply,
  responseToEvents,
  StateKey,
} from 'ai.matey.core';
import { CACHE_STATUS_STATE, type KeyValueStore, MemoryStore } from 'ai.matey.middleware';
import { semanticPrompt } from './semantic-prompt.ts';
import { SharedAnswers } from './shared-answers.ts';

/** What embeds the prompts: a `Bridge` (its `embed`), or anything with the same call. */
export interface PromptEmbedder {
  embed(
    request: EmbedRequest,
    options?: { signal?: AbortSignal; requestId?: string },
  ): Promise<EmbedResponse>;
}

export interface SemanticCacheOptions {
  /** Embeds the prompts, through the Bridge's own embedding path (`bridge.embed`). */
  embedder: PromptEmbedder;
  /** The embedding model (as in `EmbedRequest.model`); default the embedder's backend's. */
  embeddingModel?: string;
  /** Least cosine similarity at which a stored answer is served. Default 0.95. */
  threshold?: number;
  /** How long an answer is served. Default 1 hour. */
  ttlMs?: number;
  /** Most answers kept (the oldest go first, in every replica alike). Default 10,000. */
  maxEntries?: number;
  /** Where answers and their vectors live; a shared store (Redis) shares them between replicas. */
  store?: KeyValueStore;
  /** Prefix of the store keys. Default `semantic-cache:`. */
  keyPrefix?: string;
  /** Serve requests that offer tools. Default false. */
  allowTools?: boolean;
  /** Serve requests sampled with `temperature > 0`. Default false. */
  allowTemperature?: boolean;
  /** Whether this call may use the semantic cache at all (per-key opt-in). Default: every call. */
  enabled?(request: ChatRequest, context: CallContext): boolean;
  /** Keeps answers of different backends or tenants apart. Default: the Bridge backend's name. */
  scope?(request: ChatRequest, context: CallContext): string;
  /**
   * Serve an answer only to a prompt with the same numbers in it (`5` and `50` miles are not
   * paraphrases, though their embeddings say so). Default true.
   */
  matchNumbers?: boolean;
  /** Nearest stored prompts a lookup looks among for one of the same context. Default 16. */
  candidates?: number;
  now?: () => number;
}

export interface SemanticCacheStats {
  hits: number;
  misses: number;
  /** Calls the cache did not take: tools, temperature, no text prompt (not those opted out). */
  bypassed: number;
  writes: number;
  /** Embedding calls that failed (the call went on uncached). */
  embedErrors: number;
  /** Store reads or writes that failed (the call went on). */
  storeErrors: number;
  /** Answers in this process's index now. */
  entries: number;
}

/** How a semantic hit was served, in `context.state` (`'semantic-cache'`) and `metadata.cache`. */
export interface SemanticHit {
  status: 'semantic-hit';
  similarity: number;
  ageMs: number;
}

export const SEMANTIC_CACHE_STATE = new StateKey<SemanticHit>('semantic-cache');

export interface SemanticCacheMiddleware extends Middleware {
  stats(): SemanticCacheStats;
}

const semanticCacheOptions: OptionShape<SemanticCacheOptions> = {
  embedder: true,
  embeddingModel: true,
  threshold: true,
  ttlMs: true,
  maxEntries: true,
  store: true,
  keyPrefix: true,
  allowTools: true,
  allowTemperature: true,
  enabled: true,
  scope: true,
  candidates: true,
  matchNumbers: true,
  now: true,
};

/**
 * Serves a stored answer to a prompt that means the same as one answered before. Put it after
 * the exact cache (`createCacheMiddleware`), which answers repeats without an embedding call.
 *
 * The last user turn is embedded with the configured model; the nearest stored prompt of the
 * same context (a hash of the scope, model, system prompt, earlier turns, tools and settings) is
 * found in a usearch HNSW index, and its answer served when the cosine similarity reaches the
 * threshold, with `metadata.cache` `{ status: 'semantic-hit', similarity, ageMs }` (on a stream's
 * start event too). Requests with tools or a temperature above 0 pass by unless allowed. A
 * streamed hit is replayed as a stream; a streamed miss is stored once it completed.
 *
 * @example
 * const semantic = createSemanticCacheMiddleware({ embedder: bridge, embeddingModel: 'text-embedding-3-small' });
 * bridge.use(createCacheMiddleware()).use(semantic);
 */
export function createSemanticCacheMiddleware(options: SemanticCacheOptions): SemanticCacheMiddleware {
  checkOptions('createSemanticCacheMiddleware', options, semanticCacheOptions);
  const threshold = options.threshold ?? 0.95;
  const now = options.now ?? Date.now;
  const answers = new SharedAnswers({
    store: options.store ?? new MemoryStore({ maxEntries: (options.maxEntries ?? 10_000) + 1, now }),
    prefix: options.keyPrefix ?? 'semantic-cache:',
    ttlMs: options.ttlMs ?? 60 * 60_000,
    maxEntries: options.maxEntries ?? 10_000,
    now,
    ...(options.candidates === undefined ? {} : { candidates: options.candidates }),
  });
  const scopeOf = options.scope ?? ((_request, context) => context.backend.name);
  const counters: Omit<SemanticCacheStats, 'entries'> = {
    hits: 0,
    misses: 0,
    bypassed: 0,
    writes: 0,
    embedErrors: 0,
    storeErrors: 0,
  };

  async function embed(
    text: string,
    chat: ChatRequest,
    context: MiddlewareContext,
  ): Promise<number[] | undefined> {
    // The call's metadata goes along (its key, user, request id): whoever pays for the call
    // pays for its embedding too (a cost tracker keyed by it, the gateway's key budgets).
    const request: EmbedRequest = {
      inputs: [text],
      inputType: 'similarity',
      ...(chat.metadata ? { metadata: chat.metadata } : {}),
    };
    if (options.embeddingModel) request.model = options.embeddingModel;
    try {
      const response = await options.embedder.embed(request, {
        signal: context.signal,
        requestId: context.requestId,
      });
      return response.embeddings[0];
    } catch (error) {
      // The caller's own cancel is theirs to see; any other embedding failure only costs the cache.
      if (context.signal.aborted) throw error;
      counters.embedErrors++;
      return undefined;
    }
  }

  async function lookup(
    vector: number[],
    context: string,
  ): Promise<{ response: ChatResponse; hit: SemanticHit } | undefined> {
    try {
      await answers.catchUp();
      const nearest = answers.index.nearest(vector, context);
      if (!nearest || nearest.similarity < threshold) return undefined;
      const stored = await answers.answer(nearest.id);
      if (!stored) return undefined;
      const similarity = Math.min(1, nearest.similarity);
      return {
        response: stored.response,
        hit: { status: 'semantic-hit', similarity, ageMs: Math.max(0, now() - stored.storedAt) },
      };
    } catch {
      counters.storeErrors++;
      return undefined;
    }
  }

  async function store(vector: number[], context: string, response: ChatResponse): Promise<void> {
    if (response.finishReason === 'error') return;
    const { metadata: _metadata, routing: _routing, ...answer } = response;
    try {
      await answers.add({ context, vector, response: answer });
      counters.writes++;
    } catch {
      counters.storeErrors++;
    }
  }

  return {
    name: 'semantic-cache',
    async execute(request, next, context) {
      if (options.enabled && !options.enabled(request, context)) return next(request);
      const prompt = takesRequest(request, options)
        ? await semanticPrompt(request, scopeOf(request, context), {
            matchNumbers: options.matchNumbers !== false,
          })
        : undefined;
      const vector = prompt && (await embed(prompt.text, request, context));
      if (!prompt || !vector) {
        counters.bypassed++;
        return next(request);
      }
      const found = await lookup(vector, prompt.context);
      if (found) {
        counters.hits++;
        CACHE_STATUS_STATE.set(context.state, 'semantic-hit');
        SEMANTIC_CACHE_STATE.set(context.state, found.hit);
        return replay(found.response, found.hit, context);
      }
      counters.misses++;
      let writing: Promise<void> | undefined;
      const reply = mapReply(await next(request), {
        response: (response) => {
          writing = store(vector, prompt.context, response);
          return response;
        },
        stream: (stream) =>
          stream.onFinish((outcome) => {
            if (outcome.status === 'completed') void store(vector, prompt.context, outcome.response);
          }),
      });
      if (writing) await writing;
      return reply;
    },
    stats() {
      return { ...counters, entries: answers.index.size };
    },
  };
}

function takesRequest(request: ChatRequest, options: SemanticCacheOptions): boolean {
  if (!options.allowTools && (request.tools?.length ?? 0) > 0) return false;
  return options.allowTemperature === true || (request.temperature ?? 0) === 0;
}

/** A stored answer as this call's reply: a response, or for a stream call its events. */
function replay(response: ChatResponse, hit: SemanticHit, context: MiddlewareContext): Reply {
  const metadata = { ...response.metadata, cache: hit };
  if (context.mode === 'execute') return { ...response, metadata };
  const events = responseToEvents(response).map((event) =>
    event.type === 'start' ? { ...event, metadata } : event,
  );
  return ChatStream.from(events);
}
