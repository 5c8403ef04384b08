// Child process: the mock upstream (OpenAI, Anthropic and Gemini routes on one port), the
// "direct" baseline every other path is compared with. Options arrive as JSON in --options=.
import { argValue, serveChildIpc } from './child-ipc.ts';
import {
  type MockUpstreamOptions,
  type MockUpstreamReply,
  startMockUpstream,
} from './mock-upstream-module.ts';

const options = JSON.parse(argValue('options') ?? '{}') as MockUpstreamOptions;
const upstream = await startMockUpstream({ log: false, ...options });

serveChildIpc(
  upstream.url,
  {
    // Scenarios change the reply (stream length, pacing) between runs without a restart.
    'set-reply': (reply) => {
      upstream.setReply(reply as MockUpstreamReply);
      return true;
    },
  },
  () => upstream.close(),
);
