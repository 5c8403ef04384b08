import { type Backend, Bridge, UnknownOptionError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { createGateway } from './create-gateway.ts';
import { serveGateway } from './serve-gateway.ts';

const backend: Backend = {
  metadata: {
    name: 'none',
    provider: 'none',
    capabilities: { streaming: true, tools: false, vision: false, reasoning: false, jsonSchema: false },
  },
  execute: () => Promise.reject(new Error('not called')),
  stream: () => {
    throw new Error('not called');
  },
};

describe('the gateway factories reject options they do not know', () => {
  it('createGateway names the option, nested limits included', () => {
    const bridge = new Bridge({ backend });
    expect(() => createGateway({ bridge, cors: ['*'] } as never)).toThrow(UnknownOptionError);
    expect(() => createGateway({ bridge, cors: ['*'] } as never)).toThrow(
      "createGateway: unknown option 'cors'. Did you mean 'corsOrigins'?",
    );
    expect(() => createGateway({ bridge, limits: { maxBodySize: 10 } } as never)).toThrow(
      "createGateway: unknown option 'limits.maxBodySize'. Did you mean 'limits.maxBodyBytes'?",
    );
  });

  it('serveGateway refuses before it binds a port', async () => {
    const gateway = createGateway({ bridge: new Bridge({ backend }) });
    await expect(serveGateway(gateway, { hostname: '0.0.0.0' } as never)).rejects.toThrow(
      "serveGateway: unknown option 'hostname'. Did you mean 'host'?",
    );
  });
});
