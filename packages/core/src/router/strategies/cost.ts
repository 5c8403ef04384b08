import type { ModelCatalog } from '../../backend.ts';
import type { ChatRequest } from '../../spec/request.ts';
import type { Registration } from '../registration.ts';
import { minBy } from './min-by.ts';
import type { Strategy } from './strategy.ts';

/** The fit backend whose model is cheapest in the catalog (input + output per 1M tokens); unpriced ones last. */
export const costStrategy: Strategy = (request, { pool, catalog }) => {
  const priced = pool.map((registration) => ({
    registration,
    price: pricePerMTok(registration, request, catalog),
  }));
  const pick = minBy(priced, (p) => p.price ?? Number.POSITIVE_INFINITY);
  return {
    name: pick?.registration.name,
    reason: `cheapest (${pick?.price?.toFixed(3) ?? '?'} USD per 1M tokens in+out)`,
  };
};

function pricePerMTok(
  registration: Registration,
  request: ChatRequest,
  catalog: ModelCatalog | undefined,
): number | undefined {
  const model = request.model ?? registration.backend.metadata.defaultModel;
  if (!model) return undefined;
  const info = catalog?.find(model, registration.backend.metadata.provider);
  return info?.pricing ? info.pricing.inputPerMTok + info.pricing.outputPerMTok : undefined;
}
