import {
  type AiMateyError,
  AuthenticationError,
  type Backend,
  type BackendCallOptions,
  type BackendMetadata,
  type ChatRequest,
  type ChatResponse,
  checkOptions,
  type EmbedRequest,
  type EmbedResponse,
  type ModelInfo,
  type OptionShape,
  type StreamEvent,
  type TokenCount,
} from 'ai.matey.core';
import { LazyStream } from 'ai.matey.core/internal';
import { type EncodedRequest, type WireCodec, wireCodec } from 'ai.matey.wire';
import type { ModelCatalog } from '../catalog/model-catalog.ts';
import { defaultCatalog } from '../catalog/model-catalog.ts';
import { type HttpTransport, sharedTransport, type TransportResponse } from '../transport/http-transport.ts';
import { countTokensCall } from './count-tokens-call.ts';
import { decodeReply } from './decode-reply.ts';
import { decodeSseStream } from './decode-sse-stream.ts';
import { chatNotServed, type EmbedTarget, embedInBatches } from './embed-in-batches.ts';
import { fitRequest } from './fit-request.ts';
import { modelsFromListBody } from './models-from-list.ts';
import { moderateCall } from './moderate-call.ts';
import { type HealthReport, probeByListingModels } from './probe-health.ts';
import {
  type BackendAdapterOptions,
  fromEnv,
  type ProviderProfile,
  profileHeaders,
} from './provider-profile.ts';
import { rateLimitFromHeaders } from './rate-limit-headers.ts';
import type { RequestSigner } from './request-signer.ts';
import { resolveModelId } from './resolve-model-id.ts';
import { scrubKey } from './scrub-key.ts';

/** Options of the base class: the adapter options plus the shared pieces tests and gateways swap. */
export interface HttpBackendOptions extends BackendAdapterOptions {
  /** The transport (default: the process-wide one, one pool per origin). */
  transport?: HttpTransport;
  /** Where capabilities and model info come from (default: `defaultCatalog`). */
  catalog?: ModelCatalog;
  /** Signs every request (AWS SigV4 for Bedrock): the headers it returns are the ones sent. */
  signRequest?: RequestSigner;
}

/** The options every adapter knows; an adapter with more (Azure) checks its own first. */
export const httpBackendOptions: OptionShape<HttpBackendOptions> = {
  apiKey: true,
  baseURL: true,
  headers: true,
  defaultModel: true,
  timeoutMs: true,
  name: true,
  transport: true,
  catalog: true,
  signRequest: true,
};

/** An encoded call: its path, its JSON text, and the encoder's warnings and headers (`anthropic-beta`). */
type PreparedCall = { path: string; body: string } & Pick<EncodedRequest, 'warnings' | 'headers'>;

/**
 * A provider adapter: the provider's wire codec over the pooled transport, parameterised by a
 * `ProviderProfile`. Every named adapter (`OpenAIBackendAdapter`, `GroqBackendAdapter`, …) is
 * this class with a profile. The API key lives in a private field: it is never in `metadata`,
 * `JSON.stringify(adapter)` or an error message.
 *
 * @example
 * const groq = new HttpBackend(PROVIDER_PROFILES.groq, { apiKey: process.env.GROQ_API_KEY });
 * const reply = await groq.execute({ messages: [{ role: 'user', content: 'Hi' }] });
 */
export class HttpBackend implements Backend {
  readonly metadata: BackendMetadata;
  /** Embeds a batch; present only when the provider serves embeddings (its profile's `embed`). */
  readonly embed?: (request: EmbedRequest, options?: BackendCallOptions) => Promise<EmbedResponse>;
  readonly moderate?: Backend['moderate']; // When the protocol has a moderation endpoint.
  readonly #profile: ProviderProfile;
  readonly #codec: WireCodec;
  readonly #transport: HttpTransport;
  readonly #catalog: ModelCatalog;
  readonly #extraHeaders: Record<string, string> | undefined;
  readonly #timeoutMs: number | undefined;
  readonly #signRequest: RequestSigner | undefined;
  /** Scheme, host and port of the base URL. */
  protected readonly origin: string;
  /** The base URL's path, without a trailing slash (`/openai/v1`). */
  protected readonly basePath: string;
  /** The base path with the protocol's version segment (`/v1`, `/v1beta`), given or added. */
  readonly #versionedPath: string;
  #apiKey: string | undefined;
  #headers: Record<string, string> | undefined;

  constructor(profile: ProviderProfile, options: HttpBackendOptions = {}) {
    checkOptions(`new ${new.target.name}`, options, httpBackendOptions);
    this.#profile = profile;
    this.#codec = wireCodec(profile.protocol);
    this.#transport = options.transport ?? sharedTransport();
    this.#catalog = options.catalog ?? defaultCatalog;
    this.#extraHeaders = options.headers;
    this.#timeoutMs = options.timeoutMs;
    this.#signRequest = options.signRequest;
    // `process.env.X` of an unset variable may arrive as '' as well as undefined: both mean none.
    this.#apiKey = options.apiKey || fromEnv(profile.apiKeyEnv);
    const base = new URL(options.baseURL ?? fromEnv(profile.baseURLEnv) ?? profile.baseURL);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.#versionedPath = this.#codec.endpoints.versionedPath(this.basePath);
    this.metadata = {
      name: options.name ?? profile.name,
      provider: profile.name,
      capabilities: { ...profile.capabilities },
      defaultModel: options.defaultModel ?? profile.defaultModel,
    };
    const { embed } = profile;
    if (embed && this.#codec.embeddings) this.embed = (request, call) => this.#embedIn(request, call, embed);
    if (this.#codec.moderations)
      this.moderate = (input, call = {}) => moderateCall(input, call, this.#callTarget());
  }

  /** The path of a chat call for this model (the provider's protocol decides; Azure overrides). */
  protected chatPath(model: string, stream: boolean): string {
    return this.#codec.endpoints.chatPath(this.#versionedPath, model, stream);
  }

  /** The list-models path, or `undefined` when the provider has none. */
  protected modelsPath(): string | undefined {
    if (!this.#profile.listsModels) return undefined;
    return this.#codec.endpoints.modelsPath(this.#versionedPath);
  }

  async execute(request: ChatRequest, options: BackendCallOptions = {}): Promise<ChatResponse> {
    const call = this.#prepare(request, false, options.modelResolved);
    const { body, headers } = await this.#postJson(call, options.signal, request);
    const provider = this.#profile.name;
    const reply = decodeReply(provider, () => this.#codec.decodeResponse(body, { provider, request }));
    if (call.warnings.length > 0) reply.warnings = [...call.warnings, ...reply.warnings];
    const rateLimit = rateLimitFromHeaders(headers);
    if (rateLimit) reply.rateLimit = rateLimit;
    return reply;
  }

  /** Starts on the first read (nothing is sent before), like an async generator. */
  stream(request: ChatRequest, options: BackendCallOptions = {}): AsyncIterable<StreamEvent> {
    return new LazyStream(async () => {
      const { signal } = options;
      const provider = this.#profile.name;
      const call = this.#prepare(request, true, options.modelResolved);
      const response = await this.#post(call, signal);
      if (response.status >= 300) throw await this.#errorFrom(response, request, signal);
      const decoder = this.#codec.createStreamDecoder({ provider, request });
      const rateLimit = rateLimitFromHeaders(response.headers);
      const context = { provider, signal, warnings: call.warnings, rateLimit };
      // A protocol with a binary framing (Bedrock's event stream) brings its frame reader.
      const reader = this.#codec.streamFraming?.createReader();
      return decodeSseStream(response, decoder, context, reader)[Symbol.asyncIterator]();
    });
  }

  /** The provider's own count of the input tokens (`countTokensCall`: Anthropic, Gemini). */
  countTokens(request: ChatRequest, options: BackendCallOptions = {}): Promise<TokenCount> {
    return countTokensCall(request, options, { ...this.#callTarget(), backend: this.metadata.name });
  }

  async listModels(options: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    const path = this.modelsPath();
    const provider = this.#profile.name;
    if (path === undefined) return this.#catalog.list(provider);
    const response = await this.#transport.request({
      origin: this.origin,
      path,
      method: 'GET',
      headers: await this.#signed('GET', path, undefined),
      provider,
      signal: options.signal,
      headersTimeoutMs: this.#timeoutMs,
      bodyTimeoutMs: this.#timeoutMs,
    });
    if (response.status >= 300) throw await this.#errorFrom(response, undefined, options.signal);
    const body = await this.#transport.readJson(response, provider, options.signal);
    return modelsFromListBody(this.#codec.endpoints.decodeModelList(body), provider, this.#catalog);
  }

  healthCheck(options: { signal?: AbortSignal } = {}): Promise<HealthReport> {
    return probeByListingModels(this.modelsPath() === undefined ? undefined : () => this.listModels(options));
  }

  /** Only the public description: the key and headers stay out of logs and serialised config. */
  toJSON(): Record<string, unknown> {
    return { metadata: this.metadata, baseURL: `${this.origin}${this.basePath}` };
  }

  /**
   * The upstream model id: the request's (minus a `name/` prefix naming this adapter, unless a
   * Router already took its prefix off: `resolved`) or the default.
   */
  resolveModel(requested: string | undefined, resolved = false): string {
    const fallback = this.metadata.defaultModel ?? this.#profile.defaultModel;
    const names = [this.metadata.name, this.#profile.name] as const;
    return resolveModelId(requested, { resolved, fallback, names, catalog: this.#catalog });
  }

  #prepare(request: ChatRequest, stream: boolean, resolved: boolean | undefined): PreparedCall {
    const provider = this.#profile.name;
    if (this.#profile.capabilities.chat === false) throw chatNotServed(provider);
    const model = this.resolveModel(request.model, resolved);
    const capabilities = this.#catalog.find(model, provider)?.capabilities;
    const fitted = fitRequest(request, { codec: this.#codec, provider, model, capabilities });
    const encoded = this.#codec.encodeRequest(fitted.request, { model, stream, provider });
    return {
      path: this.chatPath(model, stream),
      body: JSON.stringify(encoded.body),
      warnings: [...fitted.warnings, ...encoded.warnings],
      ...(encoded.headers ? { headers: encoded.headers } : {}),
    };
  }

  /** Posts a call and reads its JSON reply; a non-2xx reply rejects with the provider's decoded error. */
  async #postJson(call: PreparedCall, signal: AbortSignal | undefined, request?: ChatRequest) {
    const response = await this.#post(call, signal);
    if (response.status >= 300) throw await this.#errorFrom(response, request, signal);
    const body: unknown = await this.#transport.readJson(response, this.#profile.name, signal);
    return { body, headers: response.headers };
  }

  async #post(call: PreparedCall, signal: AbortSignal | undefined): Promise<TransportResponse> {
    return this.#transport.request({
      origin: this.origin,
      path: call.path,
      method: 'POST',
      headers: await this.#signed('POST', call.path, call.body, call.headers),
      body: call.body,
      provider: this.#profile.name,
      signal,
      headersTimeoutMs: this.#timeoutMs,
      bodyTimeoutMs: this.#timeoutMs,
    });
  }

  /** The headers of one request: the fixed ones, or what the signer makes of them for this request. */
  async #signed(
    method: string,
    path: string,
    body: string | undefined,
    extra?: Record<string, string>,
  ): Promise<Record<string, string>> {
    const headers = extra ? { ...this.#requestHeaders(), ...extra } : this.#requestHeaders();
    if (!this.#signRequest) return headers;
    return this.#signRequest({ method, url: new URL(`${this.origin}${path}`), headers, body });
  }

  /** Built once; a key missing at construction is looked up again (it may be set later). */
  #requestHeaders(): Record<string, string> {
    if (this.#headers) return this.#headers;
    const profile = this.#profile;
    this.#apiKey ??= fromEnv(profile.apiKeyEnv);
    const key = this.#apiKey;
    if (key === undefined && !profile.apiKeyOptional && !this.#extraHeaders && !this.#signRequest) {
      throw new AuthenticationError({
        message: `No API key for ${this.metadata.name}: pass apiKey or set ${profile.apiKeyEnv.join(' or ')}`,
        provider: profile.name,
        code: 'missing_api_key',
      });
    }
    this.#headers = { ...profileHeaders(profile, key), ...this.#extraHeaders };
    return this.#headers;
  }

  async #errorFrom(
    response: TransportResponse,
    request: ChatRequest | undefined,
    signal: AbortSignal | undefined,
  ): Promise<AiMateyError> {
    const provider = this.#profile.name;
    const body = scrubKey(await this.#transport.readErrorBody(response, provider, signal), this.#apiKey);
    return this.#codec.decodeError(response.status, body, response.headers, { provider, request });
  }

  /** An embedding call: this provider's codec, with the key, transport and errors of chat calls. */
  #embedIn(request: EmbedRequest, options: BackendCallOptions = {}, profile: EmbedTarget['profile']) {
    return embedInBatches(request, options, { ...this.#callTarget(), profile, catalog: this.#catalog });
  }

  /** What a call beside chat (a count, an embedding) needs: the codec, paths, model and JSON post. */
  #callTarget() {
    return {
      provider: this.#profile.name,
      codec: this.#codec,
      versionedPath: this.#versionedPath,
      resolveModel: (model: string | undefined, resolved: boolean | undefined) =>
        this.resolveModel(model, resolved),
      post: (path: string, body: string, signal: AbortSignal | undefined, request?: ChatRequest) =>
        this.#postJson({ path, body, warnings: [] }, signal, request),
    };
  }
}
