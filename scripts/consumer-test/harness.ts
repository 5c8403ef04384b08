import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Finished, run } from './run-process.ts';

/** How the consumer test's cases went, and the helpers they share. */
export const verdicts = { failures: 0 };

/** Runs one case and prints its verdict; a case fails by throwing. */
export async function check(name: string, body: () => Promise<string | undefined>): Promise<boolean> {
  const started = Date.now();
  try {
    const detail = await body();
    console.log(`PASS  ${name} (${elapsed(started)})${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (error) {
    verdicts.failures++;
    const message = error instanceof Error ? error.message : String(error);
    console.log(`FAIL  ${name} (${elapsed(started)})\n${indent(message)}`);
    return false;
  }
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .slice(0, 40)
    .map((line) => `      ${line}`)
    .join('\n');
}

/** The result, or an error with what the command printed when it failed. */
export function succeeded(result: Finished, what: string): Finished {
  if (result.code !== 0) {
    throw new Error(`${what} exited with ${result.code ?? 'a timeout'}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** The environment of a user's shell: no provider keys, no pnpm script variables. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/_API_KEY$|_BASE_URL$|^npm_|^PNPM_|^MATEY_|^AZURE_OPENAI|^AWS_/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

/** The workspace's published packages, read from `packages/*\/package.json`. */
export class WorkspacePackages {
  readonly #manifests = new Map<string, Manifest>();
  /** Where `pnpm pack` puts the tarballs. */
  readonly tarballs: string;

  constructor(root: string, tarballs: string) {
    this.tarballs = tarballs;
    for (const dir of readdirSync(join(root, 'packages'))) {
      const text = readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8');
      const manifest = JSON.parse(text) as Manifest;
      this.#manifests.set(manifest.name, manifest);
    }
  }

  get names(): string[] {
    return [...this.#manifests.keys()].sort();
  }

  /** The tarballs a user needs for these packages: them and the ai.matey packages they depend on. */
  tarballsFor(names: string[]): string[] {
    const needed = new Set<string>();
    const visit = (name: string) => {
      const manifest = this.#manifests.get(name);
      if (!manifest || needed.has(name)) return;
      needed.add(name);
      for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency);
    };
    for (const name of names) visit(name);
    return [...needed].map((name) =>
      join(this.tarballs, `${name}-${this.#manifests.get(name)?.version}.tgz`),
    );
  }
}

/** A fresh npm project in `dir` with the consumer files and these packages (tarballs or specs). */
export async function npmProject(dir: string, packages: string[]): Promise<string> {
  mkdirSync(dir);
  cpSync(join(import.meta.dirname, 'project'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const flags = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
  const installed = await run('npm', ['install', ...flags, ...packages], { cwd: dir, env: userEnv() });
  succeeded(installed, `npm install in ${dir}`);
  return dir;
}

/** At most `limit` of the jobs at once. */
export async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}
