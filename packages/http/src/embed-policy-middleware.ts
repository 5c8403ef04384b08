import type { Middleware } from 'ai.matey.core';
import { type AdmitRules, admitModel } from './admit-call.ts';
import type { GatewayKey } from './gateway-keys.ts';

/**
 * The policy's yes or no before an embedding call, as for a chat call: a model name that is one,
 * and a model the caller's key may use (checked again on every upstream attempt). A chat call
 * passes it by: the chat check is the policy's own middleware.
 */
export function embedPolicyMiddleware(
  keyById: (id: string) => GatewayKey | undefined,
  allowsModel: AdmitRules['allowsModel'],
): Middleware {
  return {
    name: 'gateway-embed-policy',
    execute: (request, next) => next(request),
    embed: (request, next) => {
      const keyId = request.metadata?.apiKeyId;
      admitModel(typeof keyId === 'string' ? keyById(keyId) : undefined, request, allowsModel);
      return next(request);
    },
  };
}
