import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { BuildOptions } from './build-gateway.ts';
import { type GatewayConfig, gatewayConfigSchema } from './config-schema.ts';
import { ConfigError, loadConfigFile } from './load-config.ts';
import { banner, startGateway } from './start-gateway.ts';
import { singleProcessHeapNote } from './workers/heap-flags.ts';
import { runWorkersUntilStopped, workerCount } from './workers/run-workers.ts';
import { workerHooks } from './workers/worker-side.ts';

export const DEFAULT_CONFIG_FILES = ['matey.config.yaml', 'matey.config.yml', 'matey.config.json'];

/** A config and where it came from. */
export interface ResolvedConfig {
  config: GatewayConfig;
  /** The absolute path of the file loaded, or `undefined` when none was (defaults). */
  file: string | undefined;
  /** Where relative paths in the config (`type: ./my-backend.js`) start: the file's folder. */
  dir: string;
}

/**
 * The config from `path`, else the first `matey.config.yaml|yml|json` in `dir`, else defaults.
 * `dir` (default: the working directory) is where the user started the command; a relative
 * `path` is taken from there too.
 */
export async function resolveConfig(
  path?: string,
  env: NodeJS.ProcessEnv = process.env,
  dir: string = process.cwd(),
): Promise<ResolvedConfig> {
  const file = path
    ? resolve(dir, path)
    : DEFAULT_CONFIG_FILES.map((name) => join(dir, name)).find((candidate) => existsSync(candidate));
  const config = file ? await loadConfigFile(displayPath(file), env) : gatewayConfigSchema.parse({});
  if (env.PORT) config.server.port = Number(env.PORT);
  if (env.HOST) config.server.host = env.HOST;
  return { config, file, dir: file ? dirname(file) : dir };
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const path = relative(process.cwd(), file);
  return path && !path.startsWith('..') && !isAbsolute(path) ? path : file;
}

/** The start-up line that says which config file is in force. */
export function describeConfigSource(resolved: ResolvedConfig): string {
  return resolved.file
    ? `Config: ${resolved.file}`
    : `Config: none (no ${DEFAULT_CONFIG_FILES.join(', ')} in ${resolved.dir}): using the defaults`;
}

/** What `runGateway` and `matey serve` may override; the rest comes from the config. */
export interface RunGatewayOptions extends BuildOptions {
  /** Wins over the config and `PORT`. */
  port?: number;
  /** Wins over the config and `HOST`. */
  host?: string;
  /** Where the banner and shutdown notes go (default stdout). */
  print?: (text: string) => void;
  /** Where config and start-up errors go (default stderr). */
  printError?: (text: string) => void;
  /** Shutdown starts when this aborts (default: on SIGINT or SIGTERM). */
  signal?: AbortSignal;
  /** Where to look for `matey.config.*` and resolve a relative config path (default: the working directory). */
  configSearchDir?: string;
  /**
   * Processes serving the port (`node:cluster`), `auto` for one per core: wins over the config's
   * `server.workers`. Without either, `defaultWorkers`.
   */
  workers?: number | 'auto';
  /** The worker count when neither the caller nor the config names one (default 1: this process). */
  defaultWorkers?: number | 'auto';
}

/**
 * Loads the config, starts the gateway, prints how to use it, and on the signal shuts down
 * gracefully (in-flight streams finish up to the grace period). Resolves with an exit code:
 * 0 after a clean shutdown, 2 for a config error, 1 when the server could not start.
 */
export async function runGatewayUntilStopped(
  configPath?: string,
  options: RunGatewayOptions = {},
): Promise<number> {
  const {
    port,
    host,
    print = console.log,
    printError = console.error,
    signal,
    configSearchDir,
    workers,
    defaultWorkers = 1,
    ...build
  } = options;
  const env = build.env ?? process.env;
  const configError = (error: ConfigError | TypeError) => {
    for (const line of error.message.split('\n')) printError(`config error: ${line}`);
    return 2;
  };
  let resolved: ResolvedConfig;
  try {
    resolved = await resolveConfig(configPath, env, configSearchDir);
  } catch (error) {
    if (error instanceof ConfigError) return configError(error);
    throw error;
  }
  const { config } = resolved;
  if (port !== undefined) config.server.port = port;
  if (host !== undefined) config.server.host = host;
  const worker = workerHooks();
  if (!worker) {
    const count = workerCount(workers ?? config.server.workers ?? defaultWorkers);
    if (count > 1) return runWorkersUntilStopped(resolved, count, { print, printError, signal });
  }
  const speaks = worker?.printBanner ?? true;
  if (speaks) print(describeConfigSource(resolved));
  const heapNote = worker
    ? undefined
    : singleProcessHeapNote(config.server.heap?.semiSpaceMb, process.execArgv, process.env.NODE_OPTIONS);
  if (heapNote) print(heapNote);
  let started: Awaited<ReturnType<typeof startGateway>>;
  try {
    started = await startGateway(config, {
      ...(resolved.file ? { configFile: displayPath(resolved.file) } : {}),
      ...build,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${config.server.host}:${config.server.port}`;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      printError(`cannot listen on ${where}: ${code}`);
      return 1;
    }
    if (error instanceof ConfigError || error instanceof TypeError) return configError(error);
    throw error;
  }
  worker?.listening(started.url);
  if (speaks) print(banner(started, config));
  const reason = await stopRequested(worker?.signal ?? signal);
  // In a cluster the primary says it once for every worker.
  if (!worker)
    print(`\n${reason}: finishing in-flight requests (up to ${config.server.shutdownGraceMs} ms)…`);
  await started.shutdown();
  return 0;
}

/**
 * The main job (`apps/gateway`): `runGatewayUntilStopped`, then exit with its code. A second
 * SIGINT during the grace period exits at once.
 */
export async function runGateway(configPath?: string, options: RunGatewayOptions = {}): Promise<void> {
  const code = await runGatewayUntilStopped(configPath, { defaultWorkers: 'auto', ...options });
  process.exit(code);
}

function stopRequested(signal: AbortSignal | undefined): Promise<string> {
  if (signal) {
    return new Promise((resolve) => {
      if (signal.aborted) resolve(String(signal.reason ?? 'stop'));
      else signal.addEventListener('abort', () => resolve(String(signal.reason ?? 'stop')), { once: true });
    });
  }
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}
