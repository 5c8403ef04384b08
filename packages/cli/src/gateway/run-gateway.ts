import { existsSync } from 'node:fs';
import type { BuildOptions } from './build-gateway.ts';
import { type GatewayConfig, gatewayConfigSchema } from './config-schema.ts';
import { ConfigError, loadConfigFile } from './load-config.ts';
import { banner, startGateway } from './start-gateway.ts';

export const DEFAULT_CONFIG_FILES = ['matey.config.yaml', 'matey.config.yml', 'matey.config.json'];

/** The config from `--config`, else a `matey.config.*` in the working directory, else defaults. */
export async function resolveConfig(
  path?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GatewayConfig> {
  const file = path ?? DEFAULT_CONFIG_FILES.find((name) => existsSync(name));
  const config = file ? await loadConfigFile(file, env) : gatewayConfigSchema.parse({});
  if (env.PORT) config.server.port = Number(env.PORT);
  if (env.HOST) config.server.host = env.HOST;
  return config;
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
  const { port, host, print = console.log, printError = console.error, signal, ...build } = options;
  const env = build.env ?? process.env;
  let config: GatewayConfig;
  try {
    config = await resolveConfig(configPath, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      printError(`config error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (port !== undefined) config.server.port = port;
  if (host !== undefined) config.server.host = host;
  let started: Awaited<ReturnType<typeof startGateway>>;
  try {
    started = await startGateway(config, build);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${config.server.host}:${config.server.port}`;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      printError(`cannot listen on ${where}: ${code}`);
      return 1;
    }
    if (error instanceof TypeError) {
      printError(`config error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  print(banner(started, config));
  const reason = await stopRequested(signal);
  print(`\n${reason}: finishing in-flight requests (up to ${config.server.shutdownGraceMs} ms)…`);
  await started.shutdown();
  return 0;
}

/**
 * The main job (`apps/gateway`): `runGatewayUntilStopped`, then exit with its code. A second
 * SIGINT during the grace period exits at once.
 */
export async function runGateway(configPath?: string, options: RunGatewayOptions = {}): Promise<void> {
  const code = await runGatewayUntilStopped(configPath, options);
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
