#!/usr/bin/env node
// Checked before anything is imported: on an older Node the transport (undici 8) fails at import
// with a TypeError. Keep in step with `engines` in package.json.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(`matey needs Node.js 22.19 or newer; this is Node.js ${process.versions.node}.`);
  process.exit(1);
}

const { processIo } = await import('./cli/cli-io.ts');
const { runCli } = await import('./cli/run-cli.ts');
const code = await runCli(process.argv.slice(2), processIo());
// Exit now: pooled keep-alive sockets to providers would otherwise hold the process open.
process.exit(code);
