import type { ListedModel, WireEndpoints } from 'ai.matey.wire';

// Any base path: the model id (URL-encoded: `:` of versions, `/` of ARNs) and the call end the path.
const CONVERSE_PATH = /\/model\/([^/]+)\/(converse|converse-stream)$/;
const INVOKE_PATH = /\/model\/([^/]+)\/invoke$/;

/**
 * The runtime path of a Converse call: `/model/{modelId}/converse` or `/converse-stream`. The id
 * is URL-encoded whole, so `anthropic.claude-3-5-haiku-20241022-v1:0`, a cross-region inference
 * profile (`us.anthropic.claude-…`) and an ARN (`arn:aws:bedrock:…:inference-profile/…`) all
 * make one path segment.
 *
 * @example
 * bedrockConversePath('us.amazon.nova-lite-v1:0', true); // '/model/us.amazon.nova-lite-v1%3A0/converse-stream'
 */
export function bedrockConversePath(model: string, stream: boolean): string {
  return `/model/${encodeURIComponent(model)}/${stream ? 'converse-stream' : 'converse'}`;
}

/** The models of a `ListFoundationModels` reply (`{ modelSummaries: [{ modelId, … }] }`). */
function decodeFoundationModels(body: unknown): ListedModel[] | undefined {
  const summaries = (body as { modelSummaries?: unknown } | null)?.modelSummaries;
  if (!Array.isArray(summaries)) return undefined;
  const models: ListedModel[] = [];
  for (const summary of summaries) {
    const { modelId, modelName, providerName } = (summary ?? {}) as Record<string, unknown>;
    if (typeof modelId !== 'string') continue;
    models.push({
      id: modelId,
      ...(typeof modelName === 'string' ? { displayName: modelName } : {}),
      ...(typeof providerName === 'string' ? { ownedBy: providerName } : {}),
    });
  }
  return models;
}

/**
 * Where Converse calls go. Bedrock has no version segment; listing models is a control-plane
 * call (`bedrock.{region}`, not `bedrock-runtime`), so the backend answers it from the catalog.
 */
export const bedrockEndpoints: WireEndpoints = {
  versionedPath: (basePath) => basePath,
  chatPath: (path, model, stream) => `${path}${bedrockConversePath(model, stream)}`,
  modelsPath: (path) => `${path}/foundation-models`,
  decodeModelList: decodeFoundationModels,
  parseChatPath(path) {
    const match = CONVERSE_PATH.exec(path);
    if (!match?.[1]) return undefined;
    try {
      return { model: decodeURIComponent(match[1]), stream: match[2] === 'converse-stream' };
    } catch {
      return undefined;
    }
  },
  matchModelsCall: (path) => (path.endsWith('/foundation-models') ? 'certain' : undefined),
  // Embeddings go through InvokeModel, the model's own body (`bedrockEmbeddings`).
  embedPath: (path, model) => `${path}/model/${encodeURIComponent(model)}/invoke`,
  parseEmbedPath(path) {
    const match = INVOKE_PATH.exec(path);
    if (!match?.[1]) return undefined;
    try {
      return { model: decodeURIComponent(match[1]) };
    } catch {
      return undefined;
    }
  },
};
