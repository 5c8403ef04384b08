import {
  type Backend,
  type BackendCallOptions,
  type BackendMetadata,
  type ChatRequest,
  type ChatResponse,
  checkOptions,
  type OptionShape,
  Router,
  type RouterOptions,
  type StreamEvent,
} from 'ai.matey.core';
import { type ComplexityExplanation, explainComplexity } from './explain-complexity.ts';

/**
 * One tier: queries scoring below `maxScore` (exclusive, as in the seed's `complexity < 25`) go
 * to `backend`. Leave `maxScore` out on the last tier to catch everything above.
 */
export interface ComplexityTier {
  maxScore?: number;
  /** A registered backend's name, or the backend itself (registered under `name` or its own name). */
  backend: string | Backend;
  /** The name to register a backend instance under. Default: `backend.metadata.name`. */
  name?: string;
}

/** Scores a query; a plain number works, an explanation shows up in the response metadata. */
export type ComplexityAnalyzer = (query: string, request: ChatRequest) => number | ComplexityExplanation;

export interface ComplexityRouterOptions {
  tiers: ComplexityTier[];
  /** Backends by name, for tiers that name theirs. */
  backends?: Record<string, Backend>;
  /** Default: `explainComplexity`, the seed's analyzer with its parts listed. */
  analyzer?: ComplexityAnalyzer;
  /** Passed to the underlying Router (name, fallbackChain, circuitBreaker, …). */
  router?: Omit<RouterOptions, 'routingStrategy' | 'customStrategy'>;
}

/** What `response.metadata.complexity` holds on a reply served by a complexity router. */
export interface ComplexityDecision extends ComplexityExplanation {
  /** The backend the score maps to. */
  tier: string;
}

/**
 * A Backend that routes each call by how complex its last user message is (the seed's pattern 1).
 * It wraps a `Router` with `routingStrategy: 'custom'` (reachable as `.router`, for its circuit
 * states and stats) and records the decision on every reply as `response.metadata.complexity`
 * (`{ score, parts, tier }`). A streamed reply carries it in its start event's `routing.reason`.
 *
 * @example
 * const backend = createComplexityRouter({
 *   tiers: [
 *     { maxScore: 25, backend: groq },
 *     { maxScore: 50, backend: deepseek },
 *     { maxScore: 80, backend: openai },
 *     { backend: anthropic },
 *   ],
 * });
 * const reply = await new Bridge({ backend }).execute(request);
 * reply.metadata?.complexity; // { score: 42, parts: [...], tier: 'deepseek' }
 */
export function createComplexityRouter(options: ComplexityRouterOptions): ComplexityRouter {
  return new ComplexityRouter(options);
}

const complexityRouterOptions: OptionShape<ComplexityRouterOptions> = {
  tiers: { maxScore: true, backend: true, name: true },
  backends: true,
  analyzer: true,
  router: true,
};

/** See `createComplexityRouter`. */
export class ComplexityRouter implements Backend {
  readonly router: Router;
  readonly #tiers: Array<{ maxScore: number; name: string }>;
  readonly #analyzer: ComplexityAnalyzer;

  constructor(options: ComplexityRouterOptions) {
    checkOptions('ComplexityRouter', options, complexityRouterOptions);
    if (!options.tiers?.length) throw new TypeError('createComplexityRouter needs at least one tier');
    this.#analyzer = options.analyzer ?? explainComplexity;
    this.router = new Router({
      name: 'complexity-router',
      ...options.router,
      routingStrategy: 'custom',
      customStrategy: (request) => this.decide(request).tier,
    });
    for (const [name, backend] of Object.entries(options.backends ?? {})) this.router.register(name, backend);
    this.#tiers = options.tiers
      .map((tier) => {
        const name =
          typeof tier.backend === 'string' ? tier.backend : (tier.name ?? tier.backend.metadata.name);
        if (typeof tier.backend !== 'string') this.router.register(name, tier.backend);
        if (!this.router.getBackend(name)) {
          throw new TypeError(`Complexity tier names backend '${name}', which is not in \`backends\``);
        }
        return { maxScore: tier.maxScore ?? Number.POSITIVE_INFINITY, name };
      })
      .sort((a, b) => a.maxScore - b.maxScore);
  }

  get metadata(): BackendMetadata {
    return this.router.metadata;
  }

  /** The score of a request, its parts, and the tier it maps to. */
  decide(request: ChatRequest): ComplexityDecision {
    const analysed = this.#analyzer(lastUserText(request), request);
    const explanation = typeof analysed === 'number' ? { score: analysed, parts: [] } : analysed;
    const tier = this.#tiers.find((t) => explanation.score < t.maxScore) ?? this.#tiers.at(-1);
    return { ...explanation, tier: tier?.name ?? '' };
  }

  async execute(request: ChatRequest, options?: BackendCallOptions): Promise<ChatResponse> {
    const decision = this.decide(request);
    const response = await this.router.execute(request, options);
    return { ...response, metadata: { ...response.metadata, complexity: decision } };
  }

  stream(request: ChatRequest, options?: BackendCallOptions): AsyncIterable<StreamEvent> {
    return this.#stream(request, options);
  }

  async *#stream(request: ChatRequest, options?: BackendCallOptions): AsyncGenerator<StreamEvent> {
    const decision = this.decide(request);
    const note = `complexity ${decision.score} → ${decision.tier}`;
    for await (const event of this.router.stream(request, options)) {
      if (event.type === 'start' && event.routing) {
        yield { ...event, routing: { ...event.routing, reason: `${event.routing.reason} (${note})` } };
      } else yield event;
    }
  }

  listModels(options?: { signal?: AbortSignal }) {
    return this.router.listModels(options);
  }

  healthCheck(options?: { signal?: AbortSignal }) {
    return this.router.healthCheck(options);
  }
}

/** The text of the last user message: what the seed's analyzer reads (it read `.toString()`). */
export function lastUserText(request: ChatRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return message.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
  }
  return '';
}
