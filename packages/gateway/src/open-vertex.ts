import type { Backend } from 'ai.matey.core';
import type { ProviderConfig } from './config-schema.ts';

/** What a `type: vertex` provider entry says (the adapter options of `ai.matey.backend.vertex`). */
export interface VertexProviderOptions {
  name: string;
  project?: string;
  location?: string;
  keyFile?: string;
  baseURL?: string;
  defaultModel?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * A Vertex AI backend from `ai.matey.backend.vertex`, imported here and only here, so a gateway
 * without a Vertex provider never loads Google's auth library. Without the package: a
 * `TypeError` naming it (a config error, exit 2, for `matey serve`).
 */
export async function openVertex(options: VertexProviderOptions): Promise<Backend> {
  const { VertexBackendAdapter } = await import('ai.matey.backend.vertex').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new TypeError(
      `type: vertex needs the optional package ai.matey.backend.vertex (npm install ai.matey.backend.vertex) (${(error as Error).message})`,
    );
  });
  return new VertexBackendAdapter(options);
}

/**
 * The `vertex` provider the environment describes: a project (`GOOGLE_CLOUD_PROJECT`) and a
 * service-account key (`GOOGLE_APPLICATION_CREDENTIALS`), the region from `GOOGLE_CLOUD_LOCATION`
 * and the endpoint from `VERTEX_BASE_URL` (a proxy or a mock).
 */
export function vertexFromEnv(env: NodeJS.ProcessEnv): ProviderConfig | undefined {
  const project = env.GOOGLE_CLOUD_PROJECT;
  const keyFile = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!project || !keyFile) return undefined;
  const location = env.GOOGLE_CLOUD_LOCATION;
  const baseURL = env.VERTEX_BASE_URL;
  return {
    type: 'vertex',
    project,
    keyFile,
    ...(location ? { location } : {}),
    ...(baseURL ? { baseURL } : {}),
  };
}
