/**
 * The consumer test: what a user installs is what CI tests. Builds the packages, dry-runs the
 * publish, packs every package with pnpm (so `workspace:` ranges become versions), installs only
 * the tarballs a user needs into fresh projects outside the workspace with npm, and checks each
 * case there. Prints PASS/FAIL per case and the install-size table; exits 1 on any failure.
 *
 *   node scripts/consumer-test/main.ts [--keep]   (--keep leaves the temp projects in place)
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { embeddedGatewayNeedsTestingPackage, embeddedGatewayStreams } from './gateway-cases.ts';
import { check, npmProject, pool, succeeded, userEnv, verdicts, WorkspacePackages } from './harness.ts';
import { installSize, sizeTable, sizeTablePackages } from './install-size.ts';
import { killAll, run, type Server, startServer } from './run-process.ts';
import { streamedCompletion } from './streamed-completion.ts';
import {
  serveExportsSpansOverOtlp,
  serveTelemetryNeedsOtelPackage,
  userSdkSeesMiddlewareSpans,
} from './telemetry-cases.ts';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'ai-matey-consumer-'));
const tarballs = join(work, 'tarballs');
const mockText = 'Ahoy from the mock upstream, four chunks long.';
const workspace = new WorkspacePackages(root, tarballs);

const pnpm = (args: string[], timeoutMs = 300_000) => run('pnpm', args, { cwd: root, timeoutMs });
const packageNames = workspace.names;
console.log(`Consumer test in ${work}\n`);

const built = await check('pnpm build (turbo, every package)', async () => {
  succeeded(await pnpm(['build']), 'pnpm build');
  return undefined;
});
if (!built) finish();

// The dry run asks the registry about every package: it runs while the rest goes on.
const publishing = pnpm(['-r', '--filter', './packages/*', 'publish', '--dry-run', '--no-git-checks']);

const packed = await check('pnpm pack, LICENSE in every tarball', async () => {
  mkdirSync(tarballs);
  succeeded(
    await pnpm(['-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballs]),
    'pnpm pack',
  );
  for (const file of workspace.tarballsFor(packageNames)) {
    const listing = succeeded(await run('tar', ['-tzf', file], { cwd: work }), `tar -tzf ${file}`).stdout;
    if (!listing.includes('package/LICENSE\n')) throw new Error(`${file} has no LICENSE`);
  }
  return `${packageNames.length} tarballs`;
});
if (!packed) finish();

await check('packing without a build fails loudly (prepack)', async () => {
  // A copy of a package as a fresh clone has it: sources, no dist/.
  const copy = join(work, 'unbuilt', 'packages', 'core');
  cpSync(join(root, 'packages', 'core'), copy, {
    recursive: true,
    filter: (source) => !/[/\\](dist|node_modules)$/.test(source),
  });
  cpSync(
    join(root, 'scripts', 'check-package-dist.ts'),
    join(work, 'unbuilt', 'scripts', 'check-package-dist.ts'),
  );
  const result = await run('pnpm', ['pack', '--pack-destination', work], { cwd: copy, env: userEnv() });
  if (result.code === 0 || !`${result.stdout}${result.stderr}`.includes('refusing to pack')) {
    throw new Error(`pnpm pack exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return /refusing to pack[^\n]*/.exec(`${result.stdout}${result.stderr}`)?.[0];
});

// The checks of the tarballs themselves run while npm installs the projects.
const lint = (async () => {
  const bin = (tool: string) => join(root, 'node_modules', '.bin', tool);
  const files = workspace.tarballsFor(packageNames);
  const publint = await pool(
    files.map((file) => () => run(bin('publint'), ['run', '--strict', file], { cwd: work })),
    2,
  );
  // esm-only: the packages ship ESM alone by design, so the CommonJS-era resolutions (node10,
  // node16 from CJS) can only report that; a CJS user calls `require` on Node >= 22.12, where
  // require(esm) works (the CJS case below proves it).
  const attw = await pool(
    files.map(
      (file) => () => run(bin('attw'), [file, '--profile', 'esm-only', '--format', 'ascii'], { cwd: work }),
    ),
    2,
  );
  return { files, publint, attw };
})();

let app = '';
let cliOnly = '';
let withKit = '';
let otelUser = '';
let gatewayUser = '';
const installed = await check(
  'npm install of only the tarballs a user needs (5 fresh projects)',
  async () => {
    [app, cliOnly, withKit, otelUser, gatewayUser] = await Promise.all([
      npmProject(join(work, 'core-and-backend'), [
        ...workspace.tarballsFor(['ai.matey.core', 'ai.matey.backend']),
        '@types/node@22',
      ]),
      npmProject(join(work, 'cli'), workspace.tarballsFor(['ai.matey.cli'])),
      npmProject(
        join(work, 'cli-testing-otel'),
        workspace.tarballsFor([
          'ai.matey.cli',
          'ai.matey.testing',
          'ai.matey.telemetry.otel',
          'ai.matey.backend.bedrock',
          'ai.matey.backend.vertex',
          'ai.matey.semantic-cache',
          'ai.matey.batch.bullmq',
        ]),
      ),
      // The user's own OpenTelemetry SDK (the 2.x line) beside the middleware, as npm resolves it.
      npmProject(join(work, 'otel-user-sdk'), [
        ...workspace.tarballsFor(['ai.matey.core', 'ai.matey.middleware']),
        '@opentelemetry/api',
        '@opentelemetry/sdk-trace-node@2',
        '@opentelemetry/sdk-trace-base@2',
      ]),
      npmProject(join(work, 'gateway'), workspace.tarballsFor(['ai.matey.gateway', 'ai.matey.http'])),
    ]);
    return 'core+backend; cli; cli+testing+telemetry.otel+backend.bedrock+backend.vertex+semantic-cache+batch.bullmq; core+middleware+OpenTelemetry SDK 2.x; gateway+http';
  },
);

await check('dry-run publish (pnpm -r publish --dry-run)', async () => {
  const result = succeeded(await publishing, 'publish');
  const missing = packageNames.filter((name) => !result.stdout.includes(`+ ${name}@`));
  if (missing.length > 0) throw new Error(`not published: ${missing.join(', ')}\n${result.stdout}`);
  return `${packageNames.length} packages`;
});
const lintResults = await lint;
await check('publint --strict, every package', async () => {
  const bad = lintResults.publint.filter(
    (result) => result.code !== 0 || !result.stdout.includes('All good'),
  );
  if (bad.length > 0) throw new Error(bad.map((result) => result.stdout + result.stderr).join('\n'));
  return `${lintResults.files.length} packages`;
});
await check('@arethetypeswrong/cli --profile esm-only, every package', async () => {
  const bad = lintResults.attw.filter((result) => result.code !== 0);
  if (bad.length > 0) throw new Error(bad.map((result) => result.stdout + result.stderr).join('\n'));
  return `${lintResults.files.length} packages`;
});
if (!installed) finish();

let mock: Server | undefined;
await check('npx ai-matey-mock-upstream (installed ai.matey.testing)', async () => {
  const args = ['--no', '--', 'ai-matey-mock-upstream', '--text', mockText, '--chunks', '4'];
  mock = await startServer('npx', args, { cwd: withKit, env: userEnv() });
  return mock.url;
});
const mockEnv = userEnv({ MOCK_URL: mock?.url ?? 'http://127.0.0.1:9' });

for (const [name, command] of [
  ['core+backend in plain node (ESM): execute and stream', 'esm.mjs'],
  ['core+backend through require (CJS): execute and stream', 'cjs.cjs'],
] as const) {
  await check(name, async () => {
    const result = succeeded(
      await run('node', [command, mockEnv.MOCK_URL ?? ''], { cwd: app, env: mockEnv, timeoutMs: 30_000 }),
      name,
    );
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    if (seen.text !== mockText || seen.streamed !== mockText || Number(seen.deltas) < 2) {
      throw new Error(
        `expected "${mockText}" from execute and from a stream of several deltas, got ${result.stdout}`,
      );
    }
    return `${seen.deltas} text deltas`;
  });
}

const tsc = join(root, 'node_modules', '.bin', 'tsc');
for (const resolution of ['nodenext', 'bundler']) {
  await check(`tsc --noEmit, moduleResolution ${resolution}`, async () => {
    succeeded(await run(tsc, ['-p', `tsconfig.${resolution}.json`], { cwd: app }), 'tsc');
    return undefined;
  });
}

await check("OpenTelemetry: the user's SDK sees the middleware's spans", () =>
  userSdkSeesMiddlewareSpans(otelUser),
);

await check('ai.matey.middleware without gpt-tokenizer: token counts fall back to the estimate', async () => {
  const result = succeeded(await run('node', ['tokens.mjs'], { cwd: cliOnly, env: userEnv() }), 'tokens.mjs');
  const estimate = JSON.parse(result.stdout) as { tokens: number; method: string };
  if (estimate.method !== 'approximate' || !(estimate.tokens > 0)) throw new Error(result.stdout);
  return `${estimate.tokens} tokens, ${estimate.method}`;
});

await check('npx matey --help', async () => {
  const result = succeeded(
    await run('npx', ['--no', '--', 'matey', '--help'], { cwd: cliOnly, env: userEnv() }),
    'matey',
  );
  if (!result.stdout.includes('Usage: matey')) throw new Error(result.stdout + result.stderr);
  return undefined;
});

await check('an older Node gets one clear line (22.12 faked by a preload)', async () => {
  const preload = ['--import', './fake-node-22.12.mjs'];
  const expected = [
    { cwd: cliOnly, args: ['node_modules/.bin/matey', '--help'], line: 'matey needs Node.js 22.19 or newer' },
    {
      cwd: app,
      args: ['esm.mjs', 'http://127.0.0.1:9'],
      line: 'ai.matey.backend needs Node.js 22.19 or newer',
    },
  ];
  for (const { cwd, args, line } of expected) {
    const result = await run('node', [...preload, ...args], { cwd, env: userEnv(), timeoutMs: 30_000 });
    if (
      result.code !== 1 ||
      !result.stderr.includes(`${line}`) ||
      !result.stderr.includes('this is Node.js 22.12.0')
    ) {
      throw new Error(`node ${args.join(' ')}: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
  }
  return 'matey and ai.matey.backend name the running and the needed version';
});

await check('npx matey serve --config (mock upstream): a streamed completion', async () => {
  const args = ['--no', '--', 'matey', 'serve', '--config', 'serve.config.yaml', '--port', '0'];
  const server = await startServer('npx', args, { cwd: cliOnly, env: mockEnv });
  try {
    const { text, deltas } = await streamedCompletion(server.url, 'mock-model');
    if (text !== mockText) throw new Error(`streamed "${text}", expected "${mockText}"`);
    return `${deltas} SSE deltas`;
  } finally {
    await server.stop();
  }
});

await check('matey serve with telemetry: exports spans over OTLP/HTTP', () =>
  serveExportsSpansOverOtlp(withKit, mockEnv),
);

await check('matey serve with telemetry, no ai.matey.telemetry.otel: one clear line (exit 2)', () =>
  serveTelemetryNeedsOtelPackage(cliOnly, mockEnv),
);

await check('npx matey serve, no keys, no ai.matey.testing: one clear line', async () => {
  const result = await run('npx', ['--no', '--', 'matey', 'serve', '--port', '0'], {
    cwd: cliOnly,
    env: userEnv(),
    timeoutMs: 30_000,
  });
  if (result.code === 0 || result.code === null || !result.stderr.includes('npm install ai.matey.testing')) {
    throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stderr.trim().split('\n')[0];
});

await check('npx matey serve, no keys, with ai.matey.testing: the simulated fleet streams', async () => {
  const env = userEnv({ MATEY_SIM_TIME_SCALE: '0', MATEY_SIM_FAILURE_RATE: '0' });
  const server = await startServer('npx', ['--no', '--', 'matey', 'serve', '--port', '0'], {
    cwd: withKit,
    env,
  });
  try {
    if (!server.output().includes('SIMULATED')) throw new Error(server.output());
    const { text, deltas } = await streamedCompletion(server.url, 'gpt-4o-mini');
    if (text.length === 0 || deltas < 2) throw new Error(`streamed "${text}" in ${deltas} deltas`);
    return `${deltas} SSE deltas`;
  } finally {
    await server.stop();
  }
});
await check('createGatewayFromConfig in a user program (gateway+http): a streamed completion', () =>
  embeddedGatewayStreams(gatewayUser, mockEnv, mockText),
);

await check('createGatewayFromConfig, no provider, no ai.matey.testing: one clear error', () =>
  embeddedGatewayNeedsTestingPackage(gatewayUser),
);
await mock?.stop();

await check('install sizes (each package with everything npm installs for it)', async () => {
  const sizes = packageNames.map((name) => installSize(withKit, name));
  console.log(`\n${sizeTable(sizes)}\n`);
  for (const name of ['ai.matey.cli', 'ai.matey.gateway']) {
    const tree = sizes.find((size) => size.name === name);
    const kit = ['ai.matey.testing', 'ai.matey.fixtures', 'gpt-tokenizer'].filter((kitName) =>
      tree?.names.includes(kitName),
    );
    if (kit.length > 0) throw new Error(`the run-time tree of ${name} holds ${kit.join(', ')}`);
  }
  // The AWS and Google libraries come with ai.matey.backend.bedrock and ai.matey.backend.vertex
  // alone (optional peers of the gateway).
  for (const name of ['ai.matey.backend', 'ai.matey.gateway', 'ai.matey.cli']) {
    const tree = sizes.find((size) => size.name === name);
    const cloud =
      tree?.names.filter((dependency) =>
        /^@aws-sdk\/|^@aws-crypto\/|^@smithy\/|^google-auth-library$|^gaxios$/.test(dependency),
      ) ?? [];
    if (cloud.length > 0) throw new Error(`the run-time tree of ${name} holds ${cloud.join(', ')}`);
  }
  return 'no test kit and no tokenizer in the CLI and gateway trees; no AWS or Google library but in backend.bedrock and backend.vertex';
});

await check("the README's install-size table has a row for every published package", async () => {
  const rows = sizeTablePackages(readFileSync(join(root, 'README.md'), 'utf8'));
  const missing = packageNames.filter((name) => !rows.includes(name));
  const extra = rows.filter((name) => !packageNames.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `missing: ${missing.join(', ') || 'none'}; not a package: ${extra.join(', ') || 'none'} (paste the table above)`,
    );
  }
  return `${rows.length} rows`;
});

finish();

function finish(): never {
  killAll();
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
  console.log(
    verdicts.failures === 0
      ? '\nConsumer test: all cases PASS'
      : `\nConsumer test: ${verdicts.failures} case(s) FAIL`,
  );
  process.exit(verdicts.failures === 0 ? 0 : 1);
}
