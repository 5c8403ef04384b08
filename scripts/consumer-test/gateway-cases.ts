import { userEnv } from './harness.ts';
import { run, startServer } from './run-process.ts';
import { streamedCompletion } from './streamed-completion.ts';

/**
 * `project/gateway-embed.mjs` in a project with ai.matey.gateway and ai.matey.http alone: the
 * gateway built by `createGatewayFromConfig` from a config object, inside the user's own program,
 * streams the mock upstream's text through its OpenAI endpoint, and serves the dashboard (page and
 * uPlot from the installed tarball).
 */
export async function embeddedGatewayStreams(
  project: string,
  env: NodeJS.ProcessEnv,
  expectedText: string,
): Promise<string> {
  const adminKey = 'consumer-test-admin-key-0123456789';
  const server = await startServer('node', ['gateway-embed.mjs', env.MOCK_URL ?? '', adminKey], {
    cwd: project,
    env,
  });
  try {
    const { text, deltas } = await streamedCompletion(server.url, 'mock-model');
    if (text !== expectedText) throw new Error(`streamed "${text}", expected "${expectedText}"`);
    return `${deltas} SSE deltas; ${await dashboardServed(server.url, adminKey)}`;
  } finally {
    await server.stop();
  }
}

/**
 * The same program with no provider and no key: the simulated fleet would serve, but its package
 * (ai.matey.testing, an optional peer) is not installed; the error says what to install.
 */
export async function embeddedGatewayNeedsTestingPackage(project: string): Promise<string | undefined> {
  const result = await run('node', ['gateway-embed.mjs'], {
    cwd: project,
    env: userEnv(),
    timeoutMs: 30_000,
  });
  if (result.code === 0 || result.code === null || !result.stderr.includes('npm install ai.matey.testing')) {
    throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return /Error: [^\n]*/.exec(result.stderr)?.[0]?.slice(0, 140);
}

/** The dashboard of an installed gateway: its page and uPlot from the tarball, its data for the admin key. */
async function dashboardServed(url: string, adminKey: string): Promise<string> {
  for (const path of ['/dashboard', '/dashboard/assets/uplot.js', '/dashboard/assets/dashboard.js']) {
    const response = await fetch(`${url}${path}`);
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`);
  }
  const snapshot = await fetch(`${url}/dashboard/api/snapshot`, {
    headers: { authorization: `Bearer ${adminKey}` },
  });
  const { requestsTotal } = (await snapshot.json()) as { requestsTotal?: number };
  if (!(Number(requestsTotal) >= 1)) throw new Error(`the dashboard saw ${requestsTotal} calls`);
  return `dashboard served, ${requestsTotal} call seen`;
}
