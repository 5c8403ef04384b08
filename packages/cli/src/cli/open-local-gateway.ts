import { type BuiltGateway, buildGateway, displayPath, resolveConfig } from 'ai.matey.gateway';
import type { CliIo } from './cli-io.ts';
import { simulationOptions } from './simulation-options.ts';
import { UsageError } from './usage-error.ts';

/**
 * The gateway's providers and middleware without its HTTP server, for `chat`, `batch` and
 * `models`: the same config resolution as `serve` (`--config`, else `matey.config.*`, else the
 * API keys in the environment, else the simulated fleet). Per-call log lines go to stderr with
 * `verbose`, nowhere otherwise, so stdout carries only the answer.
 */
export async function openLocalGateway(
  io: CliIo,
  options: { config?: string | undefined; verbose?: boolean | undefined },
): Promise<BuiltGateway> {
  const { config, file } = await resolveConfig(options.config, io.env);
  if (!options.verbose) config.middleware.logging = false;
  return buildGateway(config, {
    env: io.env,
    ...(file ? { configFile: displayPath(file) } : {}),
    ...simulationOptions(io.env),
    logDestination: { write: (line: string) => io.stderr.write(line) },
  });
}

/** Checks a `--provider` value against the providers the gateway enabled. */
export function checkProvider(built: BuiltGateway, provider: string | undefined): void {
  if (provider === undefined) return;
  const names = built.router.backendNames;
  if (!names.includes(provider)) {
    throw new UsageError(`unknown provider '${provider}': enabled are ${names.join(', ')}`);
  }
}
