import { HttpBackend, type HttpBackendOptions } from 'ai.matey.backend';
import { ACME_PROFILE } from './acme-profile.ts';

/**
 * The Acme adapter: the shared `HttpBackend` (pooled transport, codec, retry hints, key
 * handling) with Acme's profile.
 *
 * @example
 * const acme = new AcmeBackendAdapter({ apiKey: process.env.ACME_API_KEY });
 * const reply = await acme.execute({ messages: [{ role: 'user', content: 'Hi' }] });
 */
export class AcmeBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(ACME_PROFILE, options);
  }
}
