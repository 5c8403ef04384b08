// The bench drives the same mock upstream the tests use.
export {
  type MockUpstream,
  type MockUpstreamOptions,
  type MockUpstreamReply,
  startMockUpstream,
} from 'ai.matey.testing';
