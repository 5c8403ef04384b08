export { type EchoKeyFaultOptions, echoKeyInStreamError } from './echo-key-fault.ts';
export { createMockError } from './mock-error.ts';
export {
  MockUpstream,
  type MockUpstreamCall,
  type MockUpstreamOptions,
  startMockUpstream,
} from './mock-upstream.ts';
export type {
  MockEmbedReplySource,
  MockErrorKind,
  MockReplyContext,
  MockUpstreamReply,
  MockUpstreamReplySource,
} from './mock-upstream-reply.ts';
export { defaultMockModels } from './models-list.ts';
export type { MockRateLimit } from './rate-limiter.ts';
export { type MockUpstreamRequest, REDACTED } from './request-log.ts';
export { schemaExample } from './schema-example.ts';
export type { MockTokenCount } from './serve-count.ts';
export { deterministicVector } from './serve-embed.ts';
export {
  defaultFleetProfiles,
  mulberry32,
  type SimulatedFleet,
  type SimulatedFleetOptions,
  type SimulatedProvider,
  type SimulatedProviderProfile,
  simulatedProfiles,
  startSimulatedFleet,
} from './simulated-fleet.ts';
export { simulatedToolTurn } from './simulated-tool-turn.ts';
