import { describe, expect, it } from 'vitest';
import { topSelfTime } from './cpu-profile-summary.ts';

const frame = (id: number, functionName: string, url: string) => ({
  id,
  callFrame: { functionName, url, lineNumber: 9 },
});

describe('topSelfTime', () => {
  it('leaves idle time out and groups the rest by layer', () => {
    const profile = {
      nodes: [
        frame(1, '(idle)', ''),
        frame(2, 'writev', ''),
        frame(3, 'serveChat', 'file:///work/main/packages/http/src/chat-endpoint.ts'),
        frame(4, 'parse', 'file:///work/main/node_modules/.pnpm/undici@8.12.4/node_modules/undici/lib/x.js'),
      ],
      startTime: 0,
      endTime: 0,
      samples: [1, 1, 1, 1, 2, 3, 3, 4],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    };
    const summary = topSelfTime(profile);
    expect(summary.busyMs).toBe(4);
    expect(summary.top[0]).toEqual({
      function: 'serveChat',
      location: 'packages/http/src/chat-endpoint.ts:10',
      percentOfBusy: 50,
    });
    expect(summary.byArea).toEqual([
      { area: 'ai.matey.http', percentOfBusy: 50 },
      { area: 'socket writes (writev syscalls)', percentOfBusy: 25 },
      { area: 'undici (upstream client, llhttp)', percentOfBusy: 25 },
    ]);
  });
});
