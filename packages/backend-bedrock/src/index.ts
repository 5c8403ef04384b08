export {
  BedrockBackend,
  type BedrockBackendOptions,
  bedrockProfile,
  createBedrockBackend as createBackend,
  createBedrockBackend,
} from './bedrock-backend.ts';
export {
  type BedrockMockUpstreamOptions,
  type BedrockMockUpstreamPlugin,
  bedrockMockUpstream,
} from './bedrock-mock-upstream.ts';
export { bedrockConversePath } from './converse/bedrock-endpoints.ts';
export { bedrockConverse } from './converse/index.ts';
export { bedrockEmbeddings } from './embed/bedrock-embed.ts';
export { eventStreamFraming } from './event-stream/event-stream-framing.ts';
export type { AwsCredentialProvider, AwsCredentials } from './signing/aws-credentials.ts';
export { createSigV4Signer, type SigV4SignerOptions } from './signing/sigv4-signer.ts';
export {
  type ReceivedRequest,
  type SigV4Refusal,
  type SigV4VerifyOptions,
  verifySigV4,
} from './signing/verify-sigv4.ts';
