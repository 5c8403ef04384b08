export {
  type MockUpstream,
  type MockUpstreamReply,
  type MockUpstreamRequest,
  startMockUpstream,
} from 'ai.matey.testing';
