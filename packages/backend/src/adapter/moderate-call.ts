import {
  type BackendCallOptions,
  type ModerationRequest,
  type ModerationResponse,
  UnsupportedFeatureError,
} from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';
import { decodeReply } from './decode-reply.ts';

/** What a moderation call needs from its backend: the codec's half, the paths and its JSON post. */
export interface ModerateTarget {
  provider: string;
  codec: WireCodec;
  versionedPath: string;
  post(path: string, body: string, signal: AbortSignal | undefined): Promise<{ body: unknown }>;
}

/** The moderation model when the request names none (OpenAI's current one). */
export const DEFAULT_MODERATION_MODEL = 'omni-moderation-latest';

/**
 * Classifies texts with the provider's moderation endpoint, with the backend's key, transport
 * and error decoding (a 429 is a `RateLimitError`, as for chat).
 *
 * @example
 * const verdicts = await moderateCall({ input: ['some text'] }, {}, target);
 */
export async function moderateCall(
  request: ModerationRequest,
  options: BackendCallOptions,
  target: ModerateTarget,
): Promise<ModerationResponse> {
  const { provider } = target;
  const moderations = target.codec.moderations;
  if (!moderations) {
    throw new UnsupportedFeatureError({
      message: `${provider} has no moderation endpoint`,
      provider,
      code: 'moderation_unsupported',
    });
  }
  const model = request.model ?? DEFAULT_MODERATION_MODEL;
  const body = JSON.stringify(moderations.encodeRequest(request, { model }));
  const reply = await target.post(moderations.path(target.versionedPath), body, options.signal);
  return decodeReply(provider, () => moderations.decodeResponse(reply.body, { provider }));
}
