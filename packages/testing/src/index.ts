export {
  type Fixture,
  fixtureSseTerminator,
  fixturesDir,
  fixtureToSse,
  fixtureToSseFrames,
  listFixtures,
  readFixture,
  readFixtureFiles,
  splitChunks,
} from 'ai.matey.fixtures';
export { abortableSleep } from './abortable-sleep.ts';
export { type FlakyProxy, startFlakyProxy } from './flaky-proxy.ts';
export {
  MockBackend,
  type MockBackendOptions,
  type MockReply,
  type MockReplySource,
} from './mock-backend.ts';
export {
  createMockError,
  defaultFleetProfiles,
  defaultMockModels,
  deterministicVector,
  type EchoKeyFaultOptions,
  echoKeyInStreamError,
  type MockEmbedReplySource,
  type MockErrorKind,
  type MockRateLimit,
  type MockReplyContext,
  type MockTokenCount,
  MockUpstream,
  type MockUpstreamCall,
  type MockUpstreamOptions,
  type MockUpstreamReply,
  type MockUpstreamReplySource,
  type MockUpstreamRequest,
  mulberry32,
  REDACTED,
  type SimulatedFleet,
  type SimulatedFleetOptions,
  type SimulatedProvider,
  type SimulatedProviderProfile,
  schemaExample,
  simulatedProfiles,
  simulatedToolTurn,
  startMockUpstream,
  startSimulatedFleet,
} from './mock-upstream/index.ts';
export {
  generateServiceAccountKey,
  type OAuthTokenServer,
  type ServiceAccountKeyFile,
  startOAuthTokenServer,
  type TokenGrant,
} from './oauth-token-server.ts';
export { type OtlpReceiver, type OtlpValue, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.ts';
