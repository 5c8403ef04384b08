import { HttpBackend, type HttpBackendOptions, type ProviderProfile } from 'ai.matey.backend';
import { checkOptions, type OptionShape } from 'ai.matey.core';
import { registerWireProtocol } from 'ai.matey.wire';
import { bedrockConverse } from './converse/index.ts';
import {
  type AwsCredentialProvider,
  type AwsCredentials,
  resolveCredentials,
} from './signing/aws-credentials.ts';
import { createSigV4Signer } from './signing/sigv4-signer.ts';

/** Options of a Bedrock backend: the adapter options, plus where and as whom to call AWS. */
export interface BedrockBackendOptions extends Omit<HttpBackendOptions, 'signRequest'> {
  /** The AWS region (`us-east-1`); default `AWS_REGION`, then `AWS_DEFAULT_REGION`. */
  region?: string;
  /** Credentials, or a provider of them; default: AWS's standard Node.js credential chain. */
  credentials?: AwsCredentials | AwsCredentialProvider;
  /** The shared config/credentials profile the default chain reads; default `AWS_PROFILE`. */
  profile?: string;
}

const bedrockBackendOptions: OptionShape<BedrockBackendOptions> = {
  apiKey: true,
  baseURL: true,
  headers: true,
  defaultModel: true,
  timeoutMs: true,
  name: true,
  transport: true,
  catalog: true,
  region: true,
  credentials: true,
  profile: true,
};

/**
 * Bedrock as a provider profile for a region. A Bedrock API key (`AWS_BEARER_TOKEN_BEDROCK`, or
 * `apiKey`) is sent as a bearer token; without one every call is SigV4-signed. The endpoint can
 * be moved with `baseURL` or AWS's own `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`.
 */
export function bedrockProfile(region: string): ProviderProfile {
  return {
    name: 'bedrock',
    protocol: bedrockConverse.protocol,
    baseURL: `https://bedrock-runtime.${region}.amazonaws.com`,
    apiKeyEnv: ['AWS_BEARER_TOKEN_BEDROCK'],
    baseURLEnv: ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME'],
    auth: 'bearer',
    apiKeyOptional: true,
    defaultModel: 'amazon.nova-lite-v1:0',
    // Listing models is a control-plane call (`bedrock`, not `bedrock-runtime`): the catalog answers.
    listsModels: false,
    capabilities: { streaming: true, tools: true, vision: true, reasoning: true, jsonSchema: true },
    // Titan Text Embeddings v2 (one text a call) and Cohere Embed v3 (96) through InvokeModel.
    embed: { defaultModel: 'amazon.titan-embed-text-v2:0' },
  };
}

function env(name: string): string | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env[name];
  return value === '' ? undefined : value;
}

/**
 * Amazon Bedrock's Converse and ConverseStream APIs: the `bedrock-converse` codec over the pooled
 * transport, each call signed with SigV4 (service `bedrock`) from the standard AWS credential
 * chain, streams read from AWS's binary event stream. Model ids go in the path as given: a
 * model (`anthropic.claude-3-5-haiku-20241022-v1:0`), a cross-region inference profile
 * (`us.anthropic.claude-…`) or an ARN.
 *
 * @example
 * const bedrock = new BedrockBackend({ region: 'us-east-1', defaultModel: 'us.amazon.nova-lite-v1:0' });
 * const reply = await bedrock.execute({ messages: [{ role: 'user', content: 'Hi' }] });
 */
export class BedrockBackend extends HttpBackend {
  /** The region calls are signed for. */
  readonly region: string;

  constructor(options: BedrockBackendOptions = {}) {
    checkOptions('new BedrockBackend', options, bedrockBackendOptions);
    const region = options.region ?? env('AWS_REGION') ?? env('AWS_DEFAULT_REGION');
    if (!region) throw new TypeError('BedrockBackend needs a region: pass region or set AWS_REGION');
    registerWireProtocol(bedrockConverse);
    const { region: _region, credentials, profile, ...rest } = options;
    const bearer = options.apiKey || env('AWS_BEARER_TOKEN_BEDROCK');
    const signRequest = bearer
      ? undefined
      : createSigV4Signer({
          region,
          service: 'bedrock',
          credentials: resolveCredentials(credentials, profile ?? env('AWS_PROFILE')),
          provider: options.name ?? 'bedrock',
        });
    super(bedrockProfile(region), { ...rest, ...(signRequest ? { signRequest } : {}) });
    this.region = region;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), region: this.region };
  }
}

/**
 * A Bedrock backend (see `BedrockBackend`). Also the plug-in entry a gateway config names
 * (`type: bedrock`): region, credentials and profile from the options, else the environment.
 *
 * @example
 * const bedrock = createBedrockBackend({ region: 'eu-central-1', profile: 'prod' });
 */
export function createBedrockBackend(options: BedrockBackendOptions = {}): BedrockBackend {
  return new BedrockBackend(options);
}
