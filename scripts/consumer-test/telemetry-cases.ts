import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { OtlpReceiver, ReceivedSpan } from '../../packages/testing/src/otlp-receiver.ts';
import { succeeded, userEnv } from './harness.ts';
import { run, startServer } from './run-process.ts';
import { streamedCompletion } from './streamed-completion.ts';

/** A span as `project/otel-user-sdk.mjs` prints it (the SDK's `ReadableSpan`, flattened). */
interface RecordedSpan {
  name: string;
  /** `@opentelemetry/api`'s SpanKind: 0 internal, 1 server, 2 client. */
  kind: number;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

/**
 * The user's own OpenTelemetry SDK (2.x, with the `@opentelemetry/api` it accepts) and
 * ai.matey.middleware in one npm project: one copy of the API, and the middleware's gen_ai span
 * of an execute and of a stream in the user's exporter, under the user's active span. A
 * middleware that brought its own API copy again would make npm nest it, and record nothing.
 */
export async function userSdkSeesMiddlewareSpans(project: string): Promise<string> {
  const problems: string[] = [];
  const listed = await run('npm', ['ls', '--all', '--parseable', '@opentelemetry/api'], {
    cwd: project,
    env: userEnv(),
  });
  const copies = listed.stdout.trim().split('\n').filter(Boolean);
  if (listed.code !== 0 || copies.length !== 1) {
    problems.push(`npm ls finds ${copies.length} copies of @opentelemetry/api (exit ${listed.code}):`);
    problems.push(...copies, listed.stderr.trim());
  }
  const result = succeeded(
    await run('node', ['otel-user-sdk.mjs'], { cwd: project, env: userEnv(), timeoutMs: 30_000 }),
    'node otel-user-sdk.mjs',
  );
  const spans = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '[]') as RecordedSpan[];
  const app = spans.find((span) => span.name === 'handle request' && span.scope === 'my-app');
  const modes = spans
    .filter(
      (span) =>
        span.name === 'chat in-file-model' &&
        span.scope === 'ai.matey.middleware' &&
        span.kind === 2 &&
        app !== undefined &&
        span.traceId === app.traceId &&
        span.parentSpanId === app.spanId &&
        span.attributes['gen_ai.operation.name'] === 'chat' &&
        span.attributes['gen_ai.request.model'] === 'in-file-model' &&
        span.attributes['gen_ai.usage.output_tokens'] === 2,
    )
    .map((span) => String(span.attributes['ai_matey.mode']))
    .sort();
  if (modes.join() !== 'execute,stream') {
    problems.push(
      `expected the gen_ai CLIENT span "chat in-file-model" of an execute and of a stream under the app's span; the user's exporter holds ${spans.length} span(s):`,
      ...spans.map((span) => `  ${span.scope}: ${span.name} (kind ${span.kind})`),
    );
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const api = JSON.parse(readFileSync(join(copies[0] ?? '', 'package.json'), 'utf8')) as { version: string };
  return `2 gen_ai spans (execute, stream) in the user's exporter; one @opentelemetry/api (${api.version})`;
}

/**
 * `matey serve` with a `telemetry:` section, ai.matey.telemetry.otel installed beside the CLI: a
 * streamed completion through the mock upstream, then SIGTERM (the gateway exports what is still
 * batched), and the spans are at the OTLP/HTTP receiver of the installed ai.matey.testing.
 */
export async function serveExportsSpansOverOtlp(project: string, env: NodeJS.ProcessEnv): Promise<string> {
  const receiver = await installedOtlpReceiver(project);
  try {
    const args = ['--no', '--', 'matey', 'serve', '--config', 'serve-telemetry.config.yaml', '--port', '0'];
    const server = await startServer('npx', args, { cwd: project, env: { ...env, OTLP_URL: receiver.url } });
    try {
      const { deltas } = await streamedCompletion(server.url, 'mock-model');
      if (deltas < 2) throw new Error(`streamed ${deltas} deltas`);
    } finally {
      await server.stop();
    }
    const spans = await receiver
      .waitFor((all) => all.some((span) => span.name === 'chat mock-model'), 10_000)
      .catch(() => receiver.spans);
    return describeGatewayTrace(spans, receiver.exports.length);
  } finally {
    await receiver.close();
  }
}

/** The OTLP receiver of the ai.matey.testing that npm installed in `project`. */
async function installedOtlpReceiver(project: string): Promise<OtlpReceiver> {
  const entry = createRequire(join(project, 'package.json')).resolve('ai.matey.testing');
  const testing = (await import(pathToFileURL(entry).href)) as { startOtlpReceiver(): Promise<OtlpReceiver> };
  return testing.startOtlpReceiver();
}

const SERVER = 2;
const CLIENT = 3;

/** One trace: the gateway's SERVER span → the gen_ai CLIENT span → the upstream HTTP call. */
function describeGatewayTrace(spans: ReceivedSpan[], exports: number): string {
  const listing = () => spans.map((span) => `  ${span.scope}: ${span.name} (OTLP kind ${span.kind})`);
  const chat = spans.find((span) => span.name === 'chat mock-model');
  const server = spans.find((span) => span.kind === SERVER && span.spanId === chat?.parentSpanId);
  const upstream = spans.find((span) => span.kind === CLIENT && span.parentSpanId === chat?.spanId);
  const problems = [
    !chat && 'no gen_ai span "chat mock-model"',
    chat && chat.kind !== CLIENT && `"chat mock-model" has kind ${chat.kind}, not CLIENT`,
    chat?.attributes['gen_ai.operation.name'] !== 'chat' && 'no gen_ai.operation.name "chat"',
    chat?.attributes['ai_matey.mode'] !== 'stream' && 'the call was not recorded as a stream',
    server?.name !== 'POST /v1/chat/completions' &&
      'no SERVER span "POST /v1/chat/completions" as its parent',
    upstream?.traceId !== chat?.traceId && 'no upstream HTTP CLIENT span under it',
    spans.some((span) => span.resource['service.name'] !== 'consumer-test-gateway') &&
      'a span without service.name consumer-test-gateway',
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length > 0) {
    throw new Error([...problems, `the receiver got ${spans.length} span(s):`, ...listing()].join('\n'));
  }
  return `${spans.length} spans in ${exports} POST(s) to /v1/traces: ${server?.name} > ${chat?.name} > ${upstream?.name}`;
}

/** The same config where ai.matey.telemetry.otel is not installed: exit 2, one line naming it. */
export async function serveTelemetryNeedsOtelPackage(
  project: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const args = ['--no', '--', 'matey', 'serve', '--config', 'serve-telemetry.config.yaml', '--port', '0'];
  const result = await run('npx', args, {
    cwd: project,
    env: { ...env, OTLP_URL: 'http://127.0.0.1:9' },
    timeoutMs: 30_000,
  });
  const lines = result.stderr.trim().split('\n');
  if (result.code !== 2 || lines.length !== 1 || !lines[0]?.includes('npm install ai.matey.telemetry.otel')) {
    throw new Error(`exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return lines[0];
}
