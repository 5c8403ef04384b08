import type { WireCodec } from '../codec.ts';
import { bodyStreamFlag, createCallDecoder } from '../shared/decode-call.ts';
import { cohereEmbeddings } from './cohere-embed.ts';
import { cohereEndpoints, cohereInbound } from './cohere-endpoints.ts';
import { decodeCohereError, encodeCohereError } from './cohere-error.ts';
import { cohereExtraFields } from './cohere-extra-fields.ts';
import { encodeCohereModelList } from './cohere-model-list.ts';
import { encodeCohereRequest } from './cohere-request.ts';
import { decodeCohereRequest } from './cohere-request-decoder.ts';
import { decodeCohereResponse, encodeCohereResponse } from './cohere-response.ts';
import { CohereStreamDecoder } from './cohere-stream-decoder.ts';
import { CohereStreamEncoder } from './cohere-stream-encoder.ts';

/**
 * The Cohere chat v2 codec (`POST /v2/chat`, models at `GET /v1/models`), both directions:
 * messages, tools with streamed arguments, the tool plan, citations, `thinking` reasoning, usage
 * in tokens and billed units, Cohere's errors, and embed v2 (`POST /v2/embed`).
 *
 * @example
 * const { body, warnings } = cohere.encodeRequest(request, { model: 'command-a-03-2025', stream: false });
 * const reply = cohere.decodeResponse(await res.json(), { provider: 'cohere', request });
 */
export const cohere: WireCodec = {
  protocol: 'cohere',
  endpoints: cohereEndpoints,
  encodeRequest: encodeCohereRequest,
  decodeResponse: decodeCohereResponse,
  createStreamDecoder: (context) => new CohereStreamDecoder(context),
  decodeError: decodeCohereError,
  decodeRequest: decodeCohereRequest,
  decodeCall: createCallDecoder(decodeCohereRequest, bodyStreamFlag),
  encodeResponse: encodeCohereResponse,
  encodeModelList: encodeCohereModelList,
  createStreamEncoder: () => new CohereStreamEncoder(),
  encodeError: encodeCohereError,
  extraFields: cohereExtraFields,
  inbound: cohereInbound,
  embeddings: cohereEmbeddings,
};
