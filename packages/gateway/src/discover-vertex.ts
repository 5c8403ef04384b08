import type { ProviderConfig } from './config-schema.ts';

/**
 * The `vertex` provider the environment describes: a project (`GOOGLE_CLOUD_PROJECT`) and a
 * service-account key (`GOOGLE_APPLICATION_CREDENTIALS`), the region from `GOOGLE_CLOUD_LOCATION`
 * and the endpoint from `VERTEX_BASE_URL` (a proxy or a mock). Served only where
 * ai.matey.backend.vertex is installed (the caller skips it otherwise: a project variable alone
 * is common).
 */
export function discoverVertex(env: NodeJS.ProcessEnv): ProviderConfig | undefined {
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
