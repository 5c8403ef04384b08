import { type ModelInfo, ModelNotFoundError, toAiMateyError } from 'ai.matey.core';
import type { ListedModel, WireCodec } from 'ai.matey.wire';
import type { Next } from 'hono';
import { errorReply } from './error-reply.ts';
import type { GatewayContext } from './gateway-env.ts';
import { presentedKey } from './gateway-keys.ts';
import type { GatewayOptions } from './gateway-options.ts';
import type { GatewayPolicy } from './gateway-policy.ts';
import type { ModelItemRoute, ModelsRoute } from './inbound-routes.ts';
import { jsonReply } from './json-reply.ts';

/**
 * The list-models handler for one path (its codec told by the caller's headers) and, for a
 * protocol with a get-one-model path, that handler: a key sees only the models it may use.
 */
export function modelsEndpoints(options: GatewayOptions, policy: GatewayPolicy) {
  /** The models the key may use, under either name it may ask for them by. */
  const visible = async (c: GatewayContext, codec: WireCodec): Promise<ListedModel[]> => {
    const { headers, url } = c.env.incoming;
    const key = await policy.authenticate(presentedKey(headers, url, codec.inbound?.apiKey));
    const models = (await listModels(options)).filter((model) =>
      policy.allowsModel(key, model.id, `${model.provider}/${model.id}`),
    );
    return models.map(listedModel);
  };
  const answer = async (
    c: GatewayContext,
    codec: WireCodec,
    reply: () => Promise<Record<string, unknown>>,
  ) => {
    try {
      return jsonReply(c, await reply());
    } catch (error) {
      return errorReply(c, codec, toAiMateyError(error));
    }
  };
  return {
    list: (route: ModelsRoute) => (c: GatewayContext) => {
      const codec = route.codecFor(c.env.incoming.headers);
      return answer(c, codec, async () => codec.encodeModelList(await visible(c, codec)));
    },
    item:
      ({ codec, header }: ModelItemRoute) =>
      async (c: GatewayContext, next: Next) => {
        // A path another protocol's clients share (`/v1/models/{id}`): only this one's callers.
        if (header !== undefined && c.env.incoming.headers[header] === undefined) return next();
        return answer(c, codec, async () => {
          const name = c.req.param('model') ?? '';
          const models = await visible(c, codec);
          // Asked for by its listed `provider/model` name, or by the bare id when only one has it.
          const bare = models.filter((model) => model.displayName === name);
          const found =
            models.find((model) => model.id === name) ?? (bare.length === 1 ? bare[0] : undefined);
          if (!found || !codec.encodeModel)
            throw new ModelNotFoundError({ message: `Model '${name}' is not found`, param: 'model' });
          return codec.encodeModel(found);
        });
      },
  };
}

async function listModels(options: GatewayOptions): Promise<ModelInfo[]> {
  const backend = options.router ?? options.bridge.backend;
  const models = (await backend.listModels?.()) ?? [];
  const seen = new Set<string>();
  return models.filter((model) => {
    const key = `${model.provider}/${model.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A model as the gateway lists it: by its `provider/model` name, the id as its display name. */
function listedModel(model: ModelInfo): ListedModel {
  return { id: `${model.provider}/${model.id}`, ownedBy: model.provider, displayName: model.id, created: 0 };
}
