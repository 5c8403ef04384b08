import { HttpBackend, type HttpBackendOptions, type ProviderProfile } from 'ai.matey.backend';
import { publisherModelsPath, type VertexLocation } from './vertex-location.ts';

const capabilities = { streaming: true, tools: true, vision: true, reasoning: true, jsonSchema: true };

/** What Vertex's Gemini and Anthropic publishers share: the provider name, Google auth, no key. */
const shared = {
  name: 'vertex',
  apiKeyEnv: [],
  baseURLEnv: [],
  auth: 'bearer',
  apiKeyOptional: true,
  listsModels: false,
  capabilities,
} as const;

/** The two publishers a Vertex adapter calls, each through its own codec. */
export const VERTEX_PUBLISHERS = {
  google: { ...shared, protocol: 'gemini', baseURL: '', defaultModel: 'gemini-2.5-flash' },
  anthropic: {
    ...shared,
    protocol: 'vertex-anthropic',
    baseURL: '',
    defaultModel: 'claude-sonnet-4-5@20250929',
  },
} as const satisfies Record<string, ProviderProfile>;

/**
 * One Vertex publisher's models over `HttpBackend`: the codec is the publisher's (Gemini's, or
 * Anthropic's as Vertex serves it); the path names the project, region, publisher and model.
 */
export class VertexPublisherBackend extends HttpBackend {
  readonly #modelsPath: string;
  readonly #google: boolean;

  constructor(
    publisher: keyof typeof VERTEX_PUBLISHERS,
    location: VertexLocation,
    options: HttpBackendOptions & { baseURL: string },
  ) {
    super(VERTEX_PUBLISHERS[publisher], options);
    this.#google = publisher === 'google';
    this.#modelsPath = `${this.basePath}${publisherModelsPath(location, publisher)}/models`;
  }

  protected override chatPath(model: string, stream: boolean): string {
    // Anthropic ids carry their version after an `@`, which Vertex wants as it is.
    const id = encodeURIComponent(model).replace('%40', '@');
    if (this.#google)
      return `${this.#modelsPath}/${id}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`;
    return `${this.#modelsPath}/${id}:${stream ? 'streamRawPredict' : 'rawPredict'}`;
  }
}
