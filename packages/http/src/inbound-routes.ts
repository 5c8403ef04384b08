import type { IncomingHttpHeaders } from 'node:http';
import {
  type InboundModels,
  type WireCodec,
  type WireEmbeddings,
  wireCodec,
  wireProtocols,
} from 'ai.matey.wire';

/** One list-models path and the codecs that share it, told apart by a header. */
export interface ModelsRoute {
  path: string;
  /** The codec of a call at this path with these headers. */
  codecFor(headers: IncomingHttpHeaders): WireCodec;
}

/** A get-one-model path and its codec; `header`: the request header its clients always send. */
export interface ModelItemRoute {
  path: string;
  codec: WireCodec;
  header?: string;
}

/** The gateway's route table, built once at start-up from every protocol that has inbound routes. */
export interface InboundRouteTable {
  /** Each chat path with its codec. */
  chat: Array<{ path: string; codec: WireCodec }>;
  /** Each token-count path with its codec (`InboundRoutes.countTokens`). */
  countTokens: Array<{ path: string; codec: WireCodec }>;
  /** Each stored-reply path (`InboundRoutes.storedResponses`, an `:id` in it) with its codec. */
  storedResponses: Array<{ path: string; codec: WireCodec }>;
  /** Each path listing a stored reply's input (`InboundRoutes.storedResponseInputs`) with its codec. */
  storedResponseInputs: Array<{ path: string; codec: WireCodec }>;
  /** Each embeddings path with its codec (protocols that have `embeddings`). */
  embeddings: Array<{ path: string; codec: WireCodec; embeddings: WireEmbeddings }>;
  models: ModelsRoute[];
  /** Each get-one-model path (`InboundModels.item`). */
  modelItems: ModelItemRoute[];
  /** The wire format a caller of this path speaks, for errors outside the chat endpoints. */
  codecForPath(path: string): WireCodec;
}

/** A protocol's list-models entries, one or several. */
export function inboundModels(codec: WireCodec): readonly InboundModels[] {
  const models = codec.inbound?.models;
  if (models === undefined) return [];
  return Array.isArray(models) ? models : [models as InboundModels];
}

/**
 * The routes of every registered protocol that a gateway serves (`WireCodec.inbound`): a
 * protocol registered before `createGateway` is served without the gateway naming it.
 */
export function inboundRouteTable(): InboundRouteTable {
  const codecs = wireProtocols()
    .map((protocol) => wireCodec(protocol))
    .filter((codec) => codec.inbound !== undefined);
  const [fallback] = codecs;
  if (!fallback) throw new TypeError('createGateway: no registered wire protocol has inbound routes');
  const chat = codecs.flatMap((codec) => (codec.inbound?.chat ?? []).map((path) => ({ path, codec })));
  const countTokens = codecs.flatMap((codec) =>
    codec.tokenCount ? (codec.inbound?.countTokens ?? []).map((path) => ({ path, codec })) : [],
  );
  const storedResponses = codecs.flatMap((codec) =>
    codec.encodeDeletedResponse
      ? (codec.inbound?.storedResponses ?? []).map((path) => ({ path, codec }))
      : [],
  );
  const storedResponseInputs = codecs.flatMap((codec) =>
    codec.encodeInputItemList
      ? (codec.inbound?.storedResponseInputs ?? []).map((path) => ({ path, codec }))
      : [],
  );
  const embeddings = codecs.flatMap((codec) => {
    const served = codec.embeddings;
    return served
      ? (codec.inbound?.embeddings ?? []).map((path) => ({ path, codec, embeddings: served }))
      : [];
  });
  const modelItems = codecs.flatMap((codec) =>
    inboundModels(codec).flatMap(({ item, header }) =>
      item !== undefined && codec.encodeModel
        ? [{ path: item, codec, ...(header === undefined ? {} : { header: header.toLowerCase() }) }]
        : [],
    ),
  );
  const byPath = new Map<string, Array<{ codec: WireCodec; header: string | undefined }>>();
  for (const codec of codecs)
    for (const { path, header } of inboundModels(codec))
      byPath.set(path, [...(byPath.get(path) ?? []), { codec, header }]);
  const models = [...byPath].map(([path, sharing]) => modelsRoute(path, sharing));
  // Whose errors a path gets: a call path's own pattern, or the fixed start of a plain path,
  // or a list-models path no other protocol shares.
  const owners = [
    ...[...chat, ...countTokens, ...storedResponses, ...storedResponseInputs].map(({ path, codec }) => ({
      match: pathMatcher(path),
      codec,
    })),
    ...[...byPath].flatMap(([path, sharing]) =>
      sharing.length === 1 && sharing[0] ? [{ match: pathMatcher(path), codec: sharing[0].codec }] : [],
    ),
  ];
  return {
    chat,
    countTokens,
    storedResponses,
    storedResponseInputs,
    embeddings,
    models,
    modelItems,
    codecForPath: (path) => owners.find((owner) => owner.match(path))?.codec ?? fallback,
  };
}

/**
 * Whether a path is under a route: a plain path by its start (`/v1/messages/batches` is the
 * Anthropic caller's), a pattern (`/v1beta/models/:call{.+:countTokens}`) as Hono matches it.
 */
function pathMatcher(route: string): (path: string) => boolean {
  if (!/[:*]/.test(route)) return (path) => path.startsWith(route);
  let source = '';
  for (const piece of route.split(/(:\w+\{[^}]*\}|:\w+|\*)/)) {
    if (piece === '*') source += '.*';
    else if (piece.startsWith(':')) source += `(?:${/\{([^}]*)\}/.exec(piece)?.[1] ?? '[^/]+'})`;
    else source += piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  const pattern = new RegExp(`^${source}/?$`);
  return (path) => pattern.test(path);
}

function modelsRoute(
  path: string,
  codecs: Array<{ codec: WireCodec; header: string | undefined }>,
): ModelsRoute {
  const withHeader = codecs.flatMap(({ codec, header }) =>
    header === undefined ? [] : [{ header: header.toLowerCase(), codec }],
  );
  const fallback = (codecs.find(({ header }) => header === undefined) ?? codecs[0])?.codec;
  if (!fallback) throw new TypeError(`createGateway: no protocol lists models at ${path}`);
  return {
    path,
    codecFor(headers) {
      for (const choice of withHeader) if (headers[choice.header] !== undefined) return choice.codec;
      return fallback;
    },
  };
}
