export { VERTEX_ANTHROPIC_VERSION, vertexAnthropic } from './vertex-anthropic-codec.ts';
export { type AccessTokenSource, type VertexCredentialOptions, vertexAuthHeaders } from './vertex-auth.ts';
export { VertexBackendAdapter, type VertexBackendOptions } from './vertex-backend-adapter.ts';
export { vertexEmbeddings } from './vertex-embed.ts';
export { vertexEmbed, vertexEmbedProfile } from './vertex-embed-codec.ts';
export {
  readServiceAccountKey,
  resolveVertexLocation,
  type ServiceAccountKey,
  type VertexLocation,
} from './vertex-location.ts';
