/**
 * `prepack` of every published package: refuses to pack when a file the published manifest
 * points at (exports, bin) is missing, so a tarball without its built JavaScript never leaves the
 * machine. Run from the package's folder, as npm and pnpm run lifecycle scripts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  name: string;
  exports?: unknown;
  bin?: Record<string, string>;
  publishConfig?: { exports?: unknown; bin?: Record<string, string> };
}

function targets(exportsField: unknown): string[] {
  if (typeof exportsField === 'string') return [exportsField];
  if (exportsField === null || typeof exportsField !== 'object') return [];
  return Object.values(exportsField).flatMap(targets);
}

const dir = process.cwd();
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const published = {
  exports: manifest.publishConfig?.exports ?? manifest.exports,
  bin: manifest.publishConfig?.bin ?? manifest.bin ?? {},
};
const problems: string[] = [];
for (const file of ['LICENSE', 'README.md']) {
  if (!existsSync(join(dir, file))) problems.push(`${file} is missing`);
}
for (const target of targets(published.exports)) {
  if (!target.startsWith('./dist/')) problems.push(`export ${target} is not built JavaScript in dist/`);
  else if (!existsSync(join(dir, target))) problems.push(`${target} is missing`);
}
for (const [name, target] of Object.entries(published.bin)) {
  const path = join(dir, target);
  if (!target.startsWith('./dist/'))
    problems.push(`bin ${name} (${target}) is not built JavaScript in dist/`);
  else if (!existsSync(path)) problems.push(`bin ${name}: ${target} is missing`);
  else if (!readFileSync(path, 'utf8').startsWith('#!/usr/bin/env node')) {
    problems.push(`bin ${name}: ${target} has no #!/usr/bin/env node line`);
  }
}
if (problems.length > 0) {
  console.error(`${manifest.name}: refusing to pack: ${problems.join('; ')}. Run \`pnpm build\` first.`);
  process.exit(1);
}
