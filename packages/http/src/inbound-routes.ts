import type { IncomingHttpHeaders } from 'node:http';
import { type WireCodec, type WireEmbeddings, wireCodec, wireProtocols } from 'ai.matey.wire';

/** One list-models path and the codecs that share it, told apart by a header. */
export interface ModelsRoute {
  path: string;
  /** The codec of a call at this path with these headers. */
  codecFor(headers: IncomingHttpHeaders): WireCodec;
}

/** The gateway's route table, built once at start-up from every protocol that has inbound routes. */
export interface InboundRouteTable {
  /** Each chat path with its codec. */
  chat: Array<{ path: string; codec: WireCodec }>;
  /** Each embeddings path with its codec (protocols that have `embeddings`). */
  embeddings: Array<{ path: string; codec: WireCodec; embeddings: WireEmbeddings }>;
  models: ModelsRoute[];
  /** The wire format a caller of this path speaks, for errors outside the chat endpoints. */
  codecForPath(path: string): WireCodec;
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
  const embeddings = codecs.flatMap((codec) => {
    const served = codec.embeddings;
    return served
      ? (codec.inbound?.embeddings ?? []).map((path) => ({ path, codec, embeddings: served }))
      : [];
  });
  const byPath = new Map<string, WireCodec[]>();
  for (const codec of codecs) {
    const path = codec.inbound?.models.path;
    if (path !== undefined) byPath.set(path, [...(byPath.get(path) ?? []), codec]);
  }
  const models = [...byPath].map(([path, sharing]) => modelsRoute(path, sharing));
  return {
    chat,
    embeddings,
    models,
    codecForPath: (path) => chat.find((route) => path.startsWith(route.path))?.codec ?? fallback,
  };
}

function modelsRoute(path: string, codecs: WireCodec[]): ModelsRoute {
  const withHeader = codecs.flatMap((codec) => {
    const header = codec.inbound?.models.header;
    return header === undefined ? [] : [{ header: header.toLowerCase(), codec }];
  });
  const fallback = codecs.find((codec) => codec.inbound?.models.header === undefined) ?? codecs[0];
  if (!fallback) throw new TypeError(`createGateway: no protocol lists models at ${path}`);
  return {
    path,
    codecFor(headers) {
      for (const choice of withHeader) if (headers[choice.header] !== undefined) return choice.codec;
      return fallback;
    },
  };
}
