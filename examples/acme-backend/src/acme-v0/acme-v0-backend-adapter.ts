import { HttpBackend, type HttpBackendOptions } from 'ai.matey.backend';
import { registerWireProtocol } from 'ai.matey.wire';
import { acmeV0 } from './acme-v0-codec.ts';

/**
 * Acme's legacy v0 API, through its own wire format. The constructor registers the codec
 * (registering the same codec again is a no-op), so no import has side effects.
 *
 * @example
 * const legacy = new AcmeV0BackendAdapter({ apiKey: process.env.ACME_API_KEY });
 * for await (const event of legacy.stream({ messages: [{ role: 'user', content: 'Hi' }] })) …
 */
export class AcmeV0BackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    registerWireProtocol(acmeV0);
    super(
      {
        name: 'acme',
        protocol: 'acme-v0',
        baseURL: 'https://legacy.acme.example',
        apiKeyEnv: ['ACME_API_KEY'],
        baseURLEnv: ['ACME_V0_BASE_URL'],
        auth: 'x-api-key',
        defaultModel: 'acme-classic',
        listsModels: true,
        capabilities: { streaming: true, tools: false, vision: false, reasoning: false, jsonSchema: false },
      },
      options,
    );
  }
}
