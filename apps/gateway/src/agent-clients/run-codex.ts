import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CodexRun {
  /** The `codex` launcher (`agentCli('@openai/codex')`, a Node script). */
  binary: string;
  /** The gateway's base URL (`http://127.0.0.1:PORT`); Codex calls `${url}/v1/responses`. */
  gatewayUrl: string;
  /** A gateway key, given to Codex through MATEY_API_KEY (its provider's `env_key`). */
  apiKey: string;
  model: string;
  prompt: string;
  /** Where it works (its shell runs here, sandboxed to it). */
  cwd: string;
  /** More top-level `config.toml` lines (`web_search = "disabled"`). */
  config?: string[];
}

/** One line of `codex exec --json`: `thread.started`, `item.completed`, `turn.failed`, … */
export interface CodexEvent {
  type: string;
  [field: string]: unknown;
}

/**
 * The `config.toml` that points Codex CLI at the gateway: a model provider speaking the
 * Responses API (Codex's only wire API) at the gateway's `/v1`, the key from MATEY_API_KEY, no
 * retries (a failure shows at once), and update checks, analytics and OpenTelemetry export off.
 */
export function codexConfig(gatewayUrl: string, model: string, extra: string[] = []): string {
  return [
    `model = ${JSON.stringify(model)}`,
    'model_provider = "matey"',
    'check_for_update_on_startup = false',
    ...extra,
    '',
    '[model_providers.matey]',
    'name = "ai.matey gateway"',
    `base_url = ${JSON.stringify(`${gatewayUrl}/v1`)}`,
    'env_key = "MATEY_API_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[otel]',
    'exporter = "none"',
    '',
  ].join('\n');
}

/**
 * Runs `codex exec --json` against the gateway, with nothing leaving 127.0.0.1: a fresh HOME
 * and CODEX_HOME holding `codexConfig`, an environment with nothing but what it needs (and a
 * proxy that goes nowhere for any other host), and the
 * workspace-write sandbox so its shell can change files in `cwd` only. Resolves with its JSON
 * events (a failed turn is an event, not a rejection).
 *
 * @example
 * const events = await runCodex({ binary, gatewayUrl, apiKey, model: 'gpt-4o-mini', prompt, cwd });
 */
export async function runCodex(run: CodexRun): Promise<CodexEvent[]> {
  const home = await mkdtemp(join(tmpdir(), 'matey-codex-home-'));
  const codexHome = join(home, '.codex');
  await mkdir(codexHome, { recursive: true });
  await writeFile(join(codexHome, 'config.toml'), codexConfig(run.gatewayUrl, run.model, run.config));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CODEX_HOME: codexHome,
    MATEY_API_KEY: run.apiKey,
    // Anything not for 127.0.0.1 goes to a proxy that is not there (the discard port), so no
    // request of Codex's own reaches the network.
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    ALL_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
  };
  const args = [run.binary, 'exec', '--json', '--skip-git-repo-check', '-s', 'workspace-write', run.prompt];
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      process.execPath,
      args,
      { cwd: run.cwd, env, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, out, err) => {
        if (error && !out.includes('"type":"turn.'))
          reject(new Error(`codex exited: ${error.message}\n${err}`));
        else resolve(out);
      },
    );
    // Nothing on stdin: `codex exec` would read more instructions from it.
    child.stdin?.end();
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as CodexEvent);
}
