export { AdminApiError } from './admin-error.ts';
export { adminOpenApi } from './admin-openapi.ts';
export type { AdminOptions, AdminStore, KeyHash } from './admin-options.ts';
export { adminApp } from './admin-routes.ts';
export type {
  KeyInput,
  KeyPatch,
  KeyRecord,
  SpendGroup,
  SpendQuery,
  TeamInput,
  TeamPatch,
  TeamRecord,
} from './admin-schemas.ts';
