import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface InstallSize {
  name: string;
  /** Packages installed, the package itself included. */
  packages: number;
  /** Their names. */
  names: string[];
  bytes: number;
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/**
 * What `npm install NAME` puts on disk, measured in a project where npm installed it: the
 * package and everything it pulls (dependencies and required peers, as npm installs them;
 * optional peers only when the user adds them), each package's files counted once.
 */
export function installSize(projectDir: string, name: string): InstallSize {
  const seen = new Set<string>();
  const names: string[] = [];
  const pending = [resolvePackage(projectDir, name)];
  let bytes = 0;
  while (pending.length > 0) {
    const dir = pending.pop()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    bytes += folderBytes(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    names.push(manifest.name);
    const optional = manifest.peerDependenciesMeta ?? {};
    const required = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((peer) => !optional[peer]?.optional),
    ];
    for (const dependency of required) pending.push(resolvePackage(dir, dependency));
  }
  return { name, packages: seen.size, names, bytes };
}

/** Node's lookup: `node_modules/NAME` in this folder or the nearest one above. */
function resolvePackage(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} is not installed where ${from} can see it`);
  }
}

/** Bytes of a package's own files (its nested node_modules are packages of their own). */
function folderBytes(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' && entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += folderBytes(path);
    else if (entry.isFile()) bytes += lstatSync(path).size;
  }
  return bytes;
}

/** The sizes as a Markdown table, smallest first (MB = 10^6 bytes of files). */
export function sizeTable(sizes: InstallSize[]): string {
  const rows = [...sizes]
    .sort((a, b) => a.bytes - b.bytes)
    .map((size) => `| \`${size.name}\` | ${size.packages} | ${(size.bytes / 1_000_000).toFixed(1)} MB |`);
  return ['| package | packages installed | installed size |', '| --- | ---: | ---: |', ...rows].join('\n');
}

/** The packages named by the rows of the install-size tables in a Markdown text (the README). */
export function sizeTablePackages(markdown: string): string[] {
  return [...markdown.matchAll(/^\| `([^`]+)` +\| +\d+ \| +[\d.]+ MB \|$/gm)].map((row) => row[1] ?? '');
}
