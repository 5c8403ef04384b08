import {
  type BackendAdapterOptions,
  defaultCatalog,
  HttpBackend,
  type HttpBackendOptions,
  type ModelCatalog,
} from 'ai.matey.backend';
import type {
  Backend,
  BackendCallOptions,
  BackendMetadata,
  ChatRequest,
  ChatResponse,
  EmbedRequest,
  EmbedResponse,
  ModelInfo,
  StreamEvent,
} from 'ai.matey.core';
import { registerWireProtocol } from 'ai.matey.wire';
import { vertexAnthropic } from './vertex-anthropic-codec.ts';
import { type VertexCredentialOptions, vertexAuthHeaders } from './vertex-auth.ts';
import { vertexEmbed, vertexEmbedProfile } from './vertex-embed-codec.ts';
import { publisherModelsPath, readServiceAccountKey, resolveVertexLocation } from './vertex-location.ts';
import { VertexPublisherBackend } from './vertex-publisher-backend.ts';

/** Options of `VertexBackendAdapter`: where to call, how to authenticate, and the usual adapter knobs. */
export interface VertexBackendOptions
  extends Omit<BackendAdapterOptions, 'apiKey'>,
    VertexCredentialOptions,
    Pick<HttpBackendOptions, 'transport' | 'catalog'> {
  /** The Google Cloud project (default: `GOOGLE_CLOUD_PROJECT`, then the key's project). */
  project?: string;
  /** The region, or `global` (default: `GOOGLE_CLOUD_LOCATION`, then `us-central1`). */
  location?: string;
}

/** Model ids served by the Anthropic publisher on Vertex; every other id goes to Google's. */
const ANTHROPIC_MODEL = /^claude-/;

/**
 * Google Vertex AI: Gemini models (`publishers/google`, the Gemini codec) and Anthropic models
 * (`publishers/anthropic`, `rawPredict`), chosen by model id (`claude-…` is Anthropic's), with
 * Google credentials (a service-account key, or Application Default Credentials) sent as a
 * refreshed Bearer token, and Vertex's text embedding models (`:predict`). Models and prices
 * come from the catalog (`vertex`).
 *
 * @example
 * const vertex = new VertexBackendAdapter({ project: 'my-project', location: 'global' });
 * await vertex.execute({ model: 'claude-sonnet-4-5@20250929', messages: [{ role: 'user', content: 'Hi' }] });
 */
export class VertexBackendAdapter implements Backend {
  readonly metadata: BackendMetadata;
  readonly #google: VertexPublisherBackend;
  readonly #anthropic: VertexPublisherBackend;
  readonly #embedder: HttpBackend;
  readonly #catalog: ModelCatalog;
  readonly #authHeaders: () => Promise<Record<string, string>>;

  constructor(options: VertexBackendOptions = {}) {
    registerWireProtocol(vertexAnthropic);
    registerWireProtocol(vertexEmbed);
    const key = options.credentials ?? readServiceAccountKey(options.keyFile);
    const location = resolveVertexLocation({ ...options, key });
    this.#authHeaders = vertexAuthHeaders(options, key);
    this.#catalog = options.catalog ?? defaultCatalog;
    const name = options.name ?? 'vertex';
    const shared: HttpBackendOptions & { baseURL: string } = {
      name,
      baseURL: location.baseURL,
      // A fresh Bearer token on each request (google-auth-library refreshes it before it expires).
      signRequest: async ({ headers }) => ({ ...headers, ...(await this.#authHeaders()) }),
      catalog: this.#catalog,
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.transport ? { transport: options.transport } : {}),
      ...(options.defaultModel ? { defaultModel: options.defaultModel } : {}),
    };
    this.#google = new VertexPublisherBackend('google', location, shared);
    this.#anthropic = new VertexPublisherBackend('anthropic', location, shared);
    const { defaultModel: _chatModel, ...embedOptions } = shared;
    const publisher = `${location.baseURL.replace(/\/+$/, '')}${publisherModelsPath(location, 'google')}`;
    this.#embedder = new HttpBackend(vertexEmbedProfile, { ...embedOptions, baseURL: publisher });
    this.metadata = { ...this.#google.metadata, defaultModel: options.defaultModel ?? 'gemini-2.5-flash' };
  }

  execute(request: ChatRequest, options: BackendCallOptions = {}): Promise<ChatResponse> {
    return this.#publisherFor(request, options).execute(request, options);
  }

  stream(request: ChatRequest, options: BackendCallOptions = {}): AsyncIterable<StreamEvent> {
    return this.#publisherFor(request, options).stream(request, options);
  }

  /**
   * Embeds with Vertex's text embedding models (`:predict`; `text-embedding-005` by default):
   * 250 texts a call, `gemini-embedding-001` one a call, the vectors back in input order.
   */
  embed(request: EmbedRequest, options: BackendCallOptions = {}): Promise<EmbedResponse> {
    return (this.#embedder.embed as NonNullable<HttpBackend['embed']>)(request, options);
  }

  /** The catalog's Vertex models (Vertex has no list of the publisher models a project may call). */
  async listModels(): Promise<ModelInfo[]> {
    return this.#catalog.list('vertex');
  }

  /** Healthy when the credentials give a token (no model call is made). */
  async healthCheck(): Promise<{ healthy: boolean; latencyMs: number; message?: string }> {
    const started = performance.now();
    try {
      await this.#authHeaders();
      return { healthy: true, latencyMs: performance.now() - started, message: 'credentials give a token' };
    } catch (error) {
      return { healthy: false, latencyMs: performance.now() - started, message: (error as Error).message };
    }
  }

  toJSON(): Record<string, unknown> {
    return { metadata: this.metadata, baseURL: this.#google.toJSON().baseURL };
  }

  #publisherFor(request: ChatRequest, options: BackendCallOptions): VertexPublisherBackend {
    const model = this.#google.resolveModel(request.model, options.modelResolved);
    return ANTHROPIC_MODEL.test(model) ? this.#anthropic : this.#google;
  }
}
