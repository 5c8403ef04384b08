/**
 * `ai.matey.core/internal`: plumbing that the sibling ai.matey packages share (stream relays,
 * chunked body reads, the secret registry, request ids). It is published so those packages can
 * depend on one copy, but it is not the public API: names here may change in a minor release.
 * Users import from `ai.matey.core`.
 */
export { errorForKind, type SimpleErrorKind } from './errors/error-for-kind.ts';
export { missingCapabilities, requestNeeds } from './router/request-needs.ts';
export { type BatchResult, type BatchSource, readBatch } from './stream-batch.ts';
export { LazyStream, PrimedStream, type RelayHooks, StreamRelay } from './stream-relay.ts';
export { TypedEmitter } from './util/event-emitter.ts';
export { type ChunkSource, type ReadChunks, readChunks } from './util/read-chunks.ts';
export { createRequestId } from './util/request-id.ts';
export {
  MIN_SECRET_LENGTH,
  registeredSecretCount,
  registerSecret,
  scrubRegisteredSecrets,
} from './util/secret-registry.ts';
