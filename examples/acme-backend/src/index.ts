export { AcmeBackendAdapter } from './acme-backend-adapter.ts';
export { AcmeFaqBackend } from './acme-faq-backend.ts';
export { createBackend, models } from './acme-plugin.ts';
export { ACME_MODELS, ACME_PROFILE } from './acme-profile.ts';
export { AcmeV0BackendAdapter } from './acme-v0/acme-v0-backend-adapter.ts';
export { acmeV0 } from './acme-v0/acme-v0-codec.ts';
