import { readFileSync } from 'node:fs';

/** Where a Vertex AI call goes: the project, its region (`global` included) and the base URL. */
export interface VertexLocation {
  project: string;
  location: string;
  /** `https://{location}-aiplatform.googleapis.com`, or `https://aiplatform.googleapis.com` for `global`. */
  baseURL: string;
}

/** A Google service-account key file's fields this package reads. */
export interface ServiceAccountKey {
  type?: string;
  project_id?: string;
  client_email?: string;
  private_key?: string;
  private_key_id?: string;
  /** Where the key's tokens come from (default `https://oauth2.googleapis.com/token`). */
  token_uri?: string;
}

/** The key of `keyFile`, else the one `GOOGLE_APPLICATION_CREDENTIALS` names (ADC), if it is one. */
export function readServiceAccountKey(keyFile: string | undefined): ServiceAccountKey | undefined {
  const file = keyFile ?? process.env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!file) return undefined;
  try {
    const key = JSON.parse(readFileSync(file, 'utf8')) as ServiceAccountKey;
    return key.type === 'service_account' ? key : undefined;
  } catch (error) {
    if (keyFile === undefined) return undefined;
    throw new TypeError(`Vertex AI: cannot read the key file ${keyFile}: ${(error as Error).message}`);
  }
}

/**
 * The project and region of Vertex calls: the options, else `GOOGLE_CLOUD_PROJECT` (or
 * `GCLOUD_PROJECT`, or the service-account key's project) and `GOOGLE_CLOUD_LOCATION` (or
 * `GOOGLE_CLOUD_REGION`; default `us-central1`). No project is a `TypeError` saying where to set one.
 */
export function resolveVertexLocation(options: {
  project?: string | undefined;
  location?: string | undefined;
  baseURL?: string | undefined;
  key?: ServiceAccountKey | undefined;
}): VertexLocation {
  const env = process.env;
  const project =
    options.project || env.GOOGLE_CLOUD_PROJECT || env.GCLOUD_PROJECT || options.key?.project_id;
  if (!project) {
    throw new TypeError(
      'Vertex AI needs a project: pass project, set GOOGLE_CLOUD_PROJECT, or use a service-account key that names one',
    );
  }
  const location = options.location || env.GOOGLE_CLOUD_LOCATION || env.GOOGLE_CLOUD_REGION || 'us-central1';
  if (!/^[a-z0-9-]+$/.test(location)) throw new TypeError(`Vertex AI: '${location}' is not a location`);
  const host = location === 'global' ? 'aiplatform.googleapis.com' : `${location}-aiplatform.googleapis.com`;
  return { project, location, baseURL: options.baseURL || env.VERTEX_BASE_URL || `https://${host}` };
}

/** The path of a model call: `/v1/projects/{p}/locations/{l}/publishers/{publisher}/models`. */
export function publisherModelsPath(location: VertexLocation, publisher: 'google' | 'anthropic'): string {
  const project = encodeURIComponent(location.project);
  return `/v1/projects/${project}/locations/${location.location}/publishers/${publisher}`;
}
