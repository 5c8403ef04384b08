/**
 * The AWS libraries are this package's alone, and Google's auth library ai.matey.backend.vertex's:
 * the run-time dependency tree of ai.matey.backend (and of the gateway, which names both only as
 * optional peers) holds none of them, walked the way Node resolves packages from each package's
 * real folder. (The consumer test checks the same on the installed tarballs.)
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const packages = resolve(import.meta.dirname, '../..');
const AWS = /^@aws-sdk\/|^@aws-crypto\/|^@smithy\/|^@aws\//;
const GOOGLE = /^google-auth-library$|^gaxios$|^gcp-metadata$|^@google-cloud\//;

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

function locate(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name} is not installed where ${from} can see it`);
  }
}

/** Every package a user gets by installing the one in `dir`: dependencies and required peers. */
function runtimeTree(dir: string): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const pending = [realpathSync(dir)];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    const manifest = JSON.parse(readFileSync(join(current, 'package.json'), 'utf8')) as Manifest;
    names.add(manifest.name);
    const optional = manifest.peerDependenciesMeta ?? {};
    const required = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((peer) => !optional[peer]?.optional),
    ];
    for (const dependency of required) pending.push(locate(current, dependency));
  }
  return names;
}

describe('who installs the AWS and Google libraries', () => {
  it('ai.matey.backend.bedrock brings the AWS signer, event-stream codec and credential chain', () => {
    const tree = [...runtimeTree(join(packages, 'backend-bedrock'))];
    expect(tree).toEqual(
      expect.arrayContaining(['@smithy/signature-v4', '@smithy/core', '@aws-sdk/credential-provider-node']),
    );
  });

  it('ai.matey.backend.vertex brings Google auth and no AWS library', () => {
    const tree = [...runtimeTree(join(packages, 'backend-vertex'))];
    expect(tree).toContain('google-auth-library');
    expect(tree.filter((name) => AWS.test(name))).toEqual([]);
  });

  it.each(['backend', 'wire', 'gateway', 'http', 'testing'])(
    'ai.matey.%s installs no AWS or Google library',
    (folder) => {
      const tree = [...runtimeTree(join(packages, folder))];
      expect(tree.length).toBeGreaterThan(1);
      expect(tree.filter((name) => AWS.test(name) || GOOGLE.test(name))).toEqual([]);
    },
  );
});
