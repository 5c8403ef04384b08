import { anthropicMessages } from './anthropic-messages/index.ts';
import type { WireCodec, WireProtocol } from './codec.ts';
import { cohere } from './cohere/index.ts';
import { gemini } from './gemini/index.ts';
import { openaiChat } from './openai-chat/index.ts';
import { openaiResponses } from './openai-responses/index.ts';

/** The protocols this package implements: one folder each, and one line here. */
const BUILT_IN = {
  'openai-chat': openaiChat,
  'anthropic-messages': anthropicMessages,
  gemini,
  cohere,
  'openai-responses': openaiResponses,
} as const satisfies Readonly<Record<string, WireCodec>>;

/** The wire protocols this package implements. */
export type BuiltInWireProtocol = keyof typeof BUILT_IN;

// One registry per process, not per copy of this package: a plug-in that registers a protocol
// through its own nested copy of ai.matey.wire is still seen by the gateway's copy.
const REGISTRY = Symbol.for('ai.matey.wire.protocols');

function registry(): Map<string, WireCodec> {
  const global = globalThis as { [REGISTRY]?: Map<string, WireCodec> };
  global[REGISTRY] ??= new Map(Object.entries(BUILT_IN));
  return global[REGISTRY];
}

/**
 * Adds a wire protocol under its codec's `protocol` name, so a `ProviderProfile` can name it.
 * Registering the same codec again does nothing; another codec under a taken name is an error.
 *
 * @example
 * registerWireProtocol({ protocol: 'acme-v0', endpoints: acmeEndpoints, encodeRequest, … });
 * new HttpBackend({ ...profile, protocol: 'acme-v0' }, { apiKey });
 */
export function registerWireProtocol(codec: WireCodec): void {
  const name = codec.protocol;
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
    throw new TypeError(
      `registerWireProtocol: '${String(name)}' is not a protocol name (lowercase letters, digits, . _ -)`,
    );
  }
  const existing = registry().get(name);
  if (existing === codec) return;
  if (existing) throw new TypeError(`registerWireProtocol: '${name}' is already registered to another codec`);
  registry().set(name, codec);
}

/** The codec of a protocol; an unknown name is a `TypeError` listing the known ones. */
export function wireCodec(protocol: WireProtocol): WireCodec {
  const codec = registry().get(protocol);
  if (!codec) {
    throw new TypeError(
      `Unknown wire protocol '${protocol}' (known: ${wireProtocols().join(', ')}; add one with registerWireProtocol)`,
    );
  }
  return codec;
}

/** The names of every protocol: the built-in ones, then the registered ones. */
export function wireProtocols(): WireProtocol[] {
  return [...registry().keys()];
}
