import { defaultProvider } from '@aws-sdk/credential-provider-node';

/** AWS credentials: an access key pair, with a session token for temporary ones. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials expire (providers refresh them before). */
  expiration?: Date;
}

/** Resolves credentials when a request is signed (refreshing them is the provider's job). */
export type AwsCredentialProvider = () => Promise<AwsCredentials>;

/**
 * The credentials to sign with: the ones given, or AWS's standard Node.js chain (environment,
 * SSO, web identity, shared config and credentials files with `profile`, `credential_process`,
 * container and instance roles), memoized and refreshed before expiry by the chain itself.
 */
export function resolveCredentials(
  credentials: AwsCredentials | AwsCredentialProvider | undefined,
  profile: string | undefined,
): AwsCredentialProvider {
  if (typeof credentials === 'function') return credentials;
  if (credentials) {
    const fixed = { ...credentials };
    return async () => fixed;
  }
  const chain = defaultProvider(profile === undefined ? {} : { profile });
  return () => chain();
}
