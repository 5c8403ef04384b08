import { InvalidRequestError } from 'ai.matey.core';
import { anthropicMessages, gemini, type WireCodec, type WireEndpoints } from 'ai.matey.wire';

/** The `anthropic_version` Vertex AI wants in the body of every Anthropic call. */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

const RAW_PREDICT = /\/publishers\/anthropic\/models\/([^/:]+):(rawPredict|streamRawPredict)$/;

const endpoints: WireEndpoints = {
  versionedPath: (basePath) => basePath,
  chatPath: (path, model, stream) =>
    `${path}/models/${encodeURIComponent(model).replace('%40', '@')}:${stream ? 'streamRawPredict' : 'rawPredict'}`,
  // Vertex has no list of the Anthropic models a project may call: the catalog answers.
  modelsPath: (path) => `${path}/models`,
  decodeModelList: () => undefined,
  parseChatPath(path) {
    const match = RAW_PREDICT.exec(path);
    if (!match?.[1]) return undefined;
    try {
      return { model: decodeURIComponent(match[1]), stream: match[2] === 'streamRawPredict' };
    } catch {
      return undefined;
    }
  },
  matchModelsCall: () => undefined,
};

// Not served inbound: the gateway's Anthropic SDK clients use `/v1/messages`.
const { inbound: _inbound, ...messagesWithoutInbound } = anthropicMessages;

/** Vertex's own answers (a bad token, a project without access) come in Google's error shape. */
function isGoogleError(body: unknown): boolean {
  const error = (body as { error?: { status?: unknown } } | null | undefined)?.error;
  return typeof error === 'object' && error !== null && typeof error.status === 'string';
}

/** An inbound rawPredict body as Anthropic Messages: the model from the path, the version checked. */
function toMessagesBody(body: unknown, model: string | undefined): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidRequestError({
      message: 'The request body must be a JSON object.',
      code: 'invalid_request',
    });
  const { anthropic_version: version, ...rest } = body as Record<string, unknown>;
  if (version !== VERTEX_ANTHROPIC_VERSION) {
    throw new InvalidRequestError({
      message: `anthropic_version: Input should be '${VERTEX_ANTHROPIC_VERSION}'`,
      param: 'anthropic_version',
      code: 'invalid_value',
    });
  }
  return model === undefined ? rest : { model, ...rest };
}

/**
 * Anthropic Messages as Vertex AI serves it (`…/publishers/anthropic/models/{model}:rawPredict`
 * and `:streamRawPredict`): the Messages body without `model` (the path names it) and with
 * `anthropic_version: "vertex-2023-10-16"`; replies and streams are Anthropic's own. Vertex's
 * errors come in Google's shape, the model's in Anthropic's: both are read. Registered by
 * `VertexBackendAdapter`; register it yourself to serve it from a mock upstream.
 *
 * @example
 * registerWireProtocol(vertexAnthropic);
 * await using upstream = await startMockUpstream({ reply: { fixture: 'anthropic-messages/anthropic-text' } });
 */
export const vertexAnthropic: WireCodec = {
  ...messagesWithoutInbound,
  protocol: 'vertex-anthropic',
  endpoints,
  encodeRequest(request, options) {
    const { body, warnings } = anthropicMessages.encodeRequest(request, options);
    const { model: _model, ...rest } = body;
    return { body: { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...rest }, warnings };
  },
  decodeError: (status, body, headers, context) =>
    isGoogleError(body)
      ? gemini.decodeError(status, body, headers, context)
      : anthropicMessages.decodeError(status, body, headers, context),
  decodeRequest: (body) => anthropicMessages.decodeRequest(toMessagesBody(body, undefined)),
  decodeCall: (body, path) => anthropicMessages.decodeCall(toMessagesBody(body, path?.model), path),
  encodeError: (error) =>
    error.kind === 'authentication' || error.kind === 'permission'
      ? gemini.encodeError(error)
      : anthropicMessages.encodeError(error),
};
