/**
 * The default credential chain is AWS's own (`@aws-sdk/credential-provider-node`), read when a
 * call is signed: keys from the environment, or a named profile of the shared credentials file.
 * Each case signs a real call that the mock upstream checks with the key it expects.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BedrockBackend } from '../bedrock-backend.ts';
import { bedrockMockUpstream } from '../bedrock-mock-upstream.ts';

const fromEnv = { accessKeyId: 'AKIAFROMENVIRONMENT', secretAccessKey: 'secret-from-the-environment' };
const fromProfile = { accessKeyId: 'AKIAFROMPROFILEFILE', secretAccessKey: 'secret-from-the-profile' };
const VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
];
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
const folder = mkdtempSync(join(tmpdir(), 'bedrock-credentials-'));
let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream(bedrockMockUpstream({ credentials: [fromEnv, fromProfile] }));
});
afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});
afterAll(async () => {
  await upstream.close();
  rmSync(folder, { recursive: true, force: true });
});

const hello = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** The upstream verified the last call's signature (and answered it). */
function lastCallAccepted(): boolean {
  return upstream.requests.at(-1)?.status === 200;
}

describe('the default AWS credential chain', () => {
  it('takes AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment', async () => {
    for (const name of VARIABLES) delete process.env[name];
    process.env.AWS_ACCESS_KEY_ID = fromEnv.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = fromEnv.secretAccessKey;
    const reply = await new BedrockBackend({ region: 'us-east-1', baseURL: upstream.url }).execute(hello);
    expect(reply.content[0]).toMatchObject({ type: 'text' });
    expect(lastCallAccepted()).toBe(true);
  });

  it('takes a named profile of the shared credentials file (profile option or AWS_PROFILE)', async () => {
    for (const name of VARIABLES) delete process.env[name];
    const credentialsFile = join(folder, 'credentials');
    writeFileSync(
      credentialsFile,
      `[default]\naws_access_key_id = AKIAUNKNOWNDEFAULT\naws_secret_access_key = nope\n\n[bedrock-test]\naws_access_key_id = ${fromProfile.accessKeyId}\naws_secret_access_key = ${fromProfile.secretAccessKey}\n`,
    );
    writeFileSync(join(folder, 'config'), '[profile bedrock-test]\nregion = us-east-1\n');
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
    process.env.AWS_CONFIG_FILE = join(folder, 'config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    await new BedrockBackend({ region: 'us-east-1', baseURL: upstream.url, profile: 'bedrock-test' }).execute(
      hello,
    );
    expect(lastCallAccepted()).toBe(true);
    process.env.AWS_PROFILE = 'bedrock-test';
    await new BedrockBackend({ region: 'us-east-1', baseURL: upstream.url }).execute(hello);
    expect(lastCallAccepted()).toBe(true);
    // The default profile's key is one the upstream does not know: AWS's refusal, typed.
    delete process.env.AWS_PROFILE;
    const refused = await new BedrockBackend({ region: 'us-east-1', baseURL: upstream.url })
      .execute(hello)
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      kind: 'authentication',
      status: 403,
      code: 'UnrecognizedClientException',
    });
  });
});
