import { createCallDecoder, type WireCodec } from 'ai.matey.wire';
import { bedrockEmbeddings } from '../embed/bedrock-embed.ts';
import { eventStreamFraming } from '../event-stream/event-stream-framing.ts';
import { bedrockEndpoints } from './bedrock-endpoints.ts';
import { decodeBedrockError, encodeBedrockError } from './bedrock-error.ts';
import { encodeBedrockRequest } from './bedrock-request.ts';
import { decodeBedrockRequest } from './bedrock-request-decoder.ts';
import { decodeBedrockResponse, encodeBedrockResponse } from './bedrock-response.ts';
import { BedrockStreamDecoder } from './bedrock-stream-decoder.ts';
import { BedrockStreamEncoder } from './bedrock-stream-encoder.ts';

/**
 * The Amazon Bedrock Converse / ConverseStream codec (`bedrock-converse`), both directions. The
 * model and the streaming are in the path (`/model/{modelId}/converse-stream`); a stream is AWS's
 * binary event stream (`streamFraming`), not SSE. `BedrockBackend` registers it; register it
 * yourself (`registerWireProtocol(bedrockConverse)`) before starting a mock upstream without one.
 *
 * @example
 * const { body } = bedrockConverse.encodeRequest(request, { model: 'amazon.nova-lite-v1:0', stream: false });
 * const reply = bedrockConverse.decodeResponse(await res.json(), { provider: 'bedrock', request });
 */
export const bedrockConverse: WireCodec = {
  protocol: 'bedrock-converse',
  endpoints: bedrockEndpoints,
  encodeRequest: encodeBedrockRequest,
  decodeResponse: decodeBedrockResponse,
  createStreamDecoder: (context) => new BedrockStreamDecoder(context),
  decodeError: decodeBedrockError,
  decodeRequest: decodeBedrockRequest,
  // The path says whether to stream (`/converse-stream`), never the body.
  decodeCall: createCallDecoder(decodeBedrockRequest, () => ({ stream: false, options: {} })),
  encodeResponse: encodeBedrockResponse,
  encodeModelList: (models) => ({
    modelSummaries: models.map((model) => ({
      modelId: model.id,
      modelName: model.displayName ?? model.id,
      ...(model.ownedBy ? { providerName: model.ownedBy } : {}),
    })),
  }),
  createStreamEncoder: () => new BedrockStreamEncoder(),
  encodeError: encodeBedrockError,
  streamFraming: eventStreamFraming,
  // Titan and Cohere embeddings through InvokeModel (`/model/{id}/invoke`).
  embeddings: bedrockEmbeddings,
};
