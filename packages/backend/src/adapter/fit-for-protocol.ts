import type { ChatRequest } from 'ai.matey.core';
import { type ForeignRequest, type WireCodec, wireCodec, wireProtocols } from 'ai.matey.wire';

/**
 * The request as a backend of `codec`'s protocol may send it: every other protocol takes out
 * what only it can carry (hosted tools, items kept whole), with warnings for what it dropped;
 * one that cannot drop something throws `UnsupportedFeatureError` naming it.
 *
 * @example
 * const { request: outgoing, warnings } = fitForProtocol(request, wireCodec('anthropic-messages'));
 */
export function fitForProtocol(request: ChatRequest, codec: WireCodec): ForeignRequest {
  let outgoing = request;
  const warnings: ForeignRequest['warnings'] = [];
  for (const protocol of wireProtocols()) {
    const other = wireCodec(protocol);
    if (other === codec || !other.forOtherProtocol) continue;
    const fitted = other.forOtherProtocol(outgoing);
    outgoing = fitted.request;
    warnings.push(...fitted.warnings);
  }
  return { request: outgoing, warnings };
}
