import {
  type BackendCallOptions,
  type EmbedRequest,
  type EmbedResponse,
  UnsupportedFeatureError,
  type Usage,
  type Warning,
} from 'ai.matey.core';
import type { WireCodec, WireEmbeddings } from 'ai.matey.wire';
import type { ModelCatalog } from '../catalog/model-catalog.ts';
import type { TransportResponse } from '../transport/http-transport.ts';
import type { ProviderEmbedProfile } from './provider-profile.ts';
import { rateLimitFromHeaders } from './rate-limit-headers.ts';

/** Sub-batches of one embedding call in flight at once. */
const CONCURRENCY = 4;

/** What an adapter lends its embedding calls: the provider, its codec and a way to post. */
export interface EmbedTarget {
  provider: string;
  codec: WireCodec;
  profile: ProviderEmbedProfile;
  versionedPath: string;
  catalog: ModelCatalog;
  /** The upstream model id for a requested one (prefix stripped), as for chat calls. */
  resolveModel(requested: string, resolved: boolean | undefined): string;
  /** Posts a body; resolves with the parsed reply, or rejects with the provider's decoded error. */
  post(
    path: string,
    body: string,
    signal: AbortSignal,
  ): Promise<{ body: unknown; headers: TransportResponse['headers'] }>;
}

/**
 * Embeds a batch through a provider: split into calls of at most the provider's batch size
 * (`profile.maxBatch`, else the protocol's or the model's own), a few in flight at once, the vectors put back in
 * input order and the usage added up. One failed call fails the batch; the sub-batches that
 * succeeded stay in `options.embedProgress`, so a retry of the call sends the failed ones only.
 * A model the catalog knows as no embedding model is refused before anything is sent.
 */
export async function embedInBatches(
  request: EmbedRequest,
  options: BackendCallOptions,
  target: EmbedTarget,
): Promise<EmbedResponse> {
  const { provider, codec, profile } = target;
  const embeddings = codec.embeddings as WireEmbeddings;
  const model = target.resolveModel(request.model ?? profile.defaultModel, options.modelResolved);
  const known = target.catalog.find(model, provider);
  if (known && !known.embedding) {
    throw new UnsupportedFeatureError({
      message: `${provider} model ${model} is not an embedding model`,
      provider,
      code: 'model_not_embedding',
      param: 'model',
    });
  }
  const limit = embeddings.batchLimit?.(model) ?? embeddings.maxBatch;
  const size = Math.max(1, Math.min(profile.maxBatch ?? limit, limit));
  const batches: EmbedRequest[] = [];
  for (let start = 0; start < request.inputs.length; start += size) {
    batches.push({ ...request, inputs: request.inputs.slice(start, start + size) });
  }
  const signal = options.signal ?? new AbortController().signal;
  const progress = options.embedProgress;
  const send = async (batch: EmbedRequest): Promise<EmbedResponse> => {
    const encoded = embeddings.encodeRequest(batch, {
      model,
      provider,
      ...(profile.fields ? { fields: profile.fields } : {}),
    });
    const path = codec.endpoints.embedPath?.(target.versionedPath, model, batch.inputs.length) ?? '';
    const body = JSON.stringify(encoded.body);
    // What is sent, and where, says which sub-batch this is: a retry finds the ones it got.
    const key = `${provider}\0${path}\0${body}`;
    const kept = progress?.get(key);
    if (kept) return kept;
    const reply = await target.post(path, body, signal);
    const decoded = embeddings.decodeResponse(reply.body, {
      provider,
      request: { ...batch, model },
      headers: reply.headers,
    });
    const response = withUsage(decoded, batch);
    const rateLimit = rateLimitFromHeaders(reply.headers);
    const result: EmbedResponse = {
      ...response,
      warnings: [...encoded.warnings, ...response.warnings],
      ...(rateLimit ? { rateLimit } : {}),
    };
    progress?.set(key, result);
    return result;
  };
  return merge(await inOrder(batches, CONCURRENCY, send), model, provider);
}

/**
 * Runs `run` over `items`, at most `limit` at a time; results in the items' order. After a
 * failure no new item starts, those in flight finish (their replies are paid for, and kept for
 * a retry), then the first failure rejects. The caller's signal still cancels them all at once.
 */
async function inOrder<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await run(items[index] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

/**
 * The response with its usage, estimated (four characters a token, a token array its length) and
 * said so in a warning when the provider reported none (the Gemini API counts no embedding
 * tokens): a batch is never free to cost tracking, budgets and metrics by omission.
 */
function withUsage(response: EmbedResponse, batch: EmbedRequest): EmbedResponse {
  if (response.usage.inputTokens > 0) return response;
  let tokens = 0;
  for (const input of batch.inputs)
    tokens += typeof input === 'string' ? Math.ceil(input.length / 4) : input.length;
  const warning: Warning = {
    type: 'estimated-usage',
    setting: 'usage',
    message: `${response.provider} reported no token usage for embeddings; it is estimated at four characters a token.`,
  };
  return {
    ...response,
    usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens },
    warnings: [...response.warnings, warning],
  };
}

function merge(results: readonly EmbedResponse[], model: string, provider: string): EmbedResponse {
  const first = results[0];
  const warnings = new Map<string, Warning>();
  let inputTokens = 0;
  let totalTokens = 0;
  let billed: Usage['billed'];
  for (const response of results) {
    inputTokens += response.usage.inputTokens;
    totalTokens += response.usage.totalTokens;
    const sub = response.usage.billed;
    if (sub)
      billed = {
        inputTokens: (billed?.inputTokens ?? 0) + sub.inputTokens,
        outputTokens: (billed?.outputTokens ?? 0) + sub.outputTokens,
      };
    // The same warning from every sub-batch is said once.
    for (const warning of response.warnings) warnings.set(`${warning.setting}\0${warning.message}`, warning);
  }
  const rateLimit = results.at(-1)?.rateLimit;
  return {
    model: first?.model || model,
    provider,
    embeddings: results.flatMap((response) => response.embeddings),
    usage: { inputTokens, outputTokens: 0, totalTokens, ...(billed ? { billed } : {}) },
    warnings: [...warnings.values()],
    ...(rateLimit ? { rateLimit } : {}),
    ...(first?.providerMetadata ? { providerMetadata: first.providerMetadata } : {}),
  };
}

/** The error of a chat call to an embeddings-only API (capabilities with `chat: false`). */
export function chatNotServed(provider: string): UnsupportedFeatureError {
  return new UnsupportedFeatureError({
    message: `${provider} serves embeddings only, not chat`,
    provider,
    code: 'chat_not_supported',
  });
}
