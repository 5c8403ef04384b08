import { InvalidRequestError, type Middleware, PermissionDeniedError } from 'ai.matey.core';
import type { GatewayKey } from './gateway-keys.ts';

// Every provider's model ids are printable ASCII (`accounts/x/models/y`, `ft:gpt-4o:org::id`, `@cf/…`).
export const MODEL_NAME = /^[\x21-\x7e]{1,256}$/;

/**
 * The policy's yes or no before an embedding call, as for a chat call: a model name that is one,
 * and a model the caller's key may use (checked again on every upstream attempt). A chat call
 * passes it by: the chat check is the policy's own middleware.
 */
export function embedPolicyMiddleware(
  keyById: (id: string) => GatewayKey | undefined,
  allowsModel: (key: GatewayKey | undefined, ...names: string[]) => boolean,
): Middleware {
  return {
    name: 'gateway-embed-policy',
    execute: (request, next) => next(request),
    embed: (request, next) => {
      const keyId = request.metadata?.apiKeyId;
      const key = typeof keyId === 'string' ? keyById(keyId) : undefined;
      if (request.model !== undefined && !MODEL_NAME.test(request.model)) {
        throw new InvalidRequestError({
          message: 'The model name must be 1 to 256 printable ASCII characters without spaces',
          param: 'model',
          code: 'invalid_model_name',
        });
      }
      const provider = request.metadata?.provider;
      const names = request.model
        ? [request.model, ...(typeof provider === 'string' ? [`${provider}/${request.model}`] : [])]
        : [];
      if (names.length > 0 && !allowsModel(key, ...names)) {
        throw new PermissionDeniedError({
          message: `This API key may not use model '${request.model}'`,
          param: 'model',
          code: 'model_not_allowed',
        });
      }
      return next(request);
    },
  };
}
