import { createCallDecoder, type WireCodec } from 'ai.matey.wire';
import { fromAcmeV0Request, toAcmeV0Request } from './acme-v0-body.ts';
import { decodeAcmeV0Error, encodeAcmeV0Error } from './acme-v0-error.ts';
import { fromAcmeV0Response, toAcmeV0Response } from './acme-v0-response.ts';
import { AcmeV0StreamDecoder, AcmeV0StreamEncoder } from './acme-v0-stream.ts';

/**
 * The `acme-v0` wire format, both directions: `AcmeV0BackendAdapter` uses the client half, and
 * the tests serve the server half to stand in for Acme. Register it once with
 * `registerWireProtocol(acmeV0)` before a profile names `protocol: 'acme-v0'`.
 */
export const acmeV0: WireCodec = {
  protocol: 'acme-v0',
  endpoints: {
    // Base URLs are the bare host (`https://legacy.acme.example`); `/v0` is added when left out.
    versionedPath: (basePath) => basePath.replace(/(?:\/v0)?$/, '/v0'),
    chatPath: (path) => `${path}/generate`,
    modelsPath: (path) => `${path}/models`,
    decodeModelList(body) {
      const models = (body as { models?: unknown } | null)?.models;
      if (!Array.isArray(models)) return undefined;
      return models.flatMap((model: { name?: unknown; context?: unknown }) =>
        typeof model?.name === 'string'
          ? [
              {
                id: model.name,
                ...(typeof model.context === 'number' ? { contextWindow: model.context } : {}),
              },
            ]
          : [],
      );
    },
    // The server side, for a mock upstream or gateway serving v0 clients: any base path.
    parseChatPath: (path) => (path.endsWith('/generate') ? {} : undefined),
    matchModelsCall: (path) => (path.endsWith('/v0/models') ? 'certain' : undefined),
  },
  encodeRequest: (request, options) => toAcmeV0Request(request, options.model, options.stream),
  decodeResponse: fromAcmeV0Response,
  createStreamDecoder: (context) => new AcmeV0StreamDecoder(context),
  decodeError: (status, body, headers) => decodeAcmeV0Error(status, body, headers),
  decodeRequest: fromAcmeV0Request,
  decodeCall: createCallDecoder(fromAcmeV0Request, (body) => ({ stream: body.stream === true, options: {} })),
  encodeResponse: toAcmeV0Response,
  encodeModelList: (models) => ({
    models: models.map((model) => ({
      name: model.id,
      ...(model.contextWindow !== undefined ? { context: model.contextWindow } : {}),
    })),
  }),
  createStreamEncoder: () => new AcmeV0StreamEncoder(),
  encodeError: encodeAcmeV0Error,
  // A gateway started after `registerWireProtocol(acmeV0)` serves v0 clients on these paths.
  inbound: { endpoint: 'acme', chat: ['/v0/generate'], models: { path: '/v0/models' } },
};
