import { type BuildOptions, type BuiltGateway, buildGateway } from './build-gateway.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { configuredProviders, providerIssues, referenceIssues } from './config-references.ts';
import { type GatewayConfig, type GatewayConfigInput, gatewayConfigSchema } from './config-schema.ts';
import { schemaIssues } from './schema-issues.ts';

/**
 * Checks a config given as a value (not read from a file) as `loadConfigFile` checks a file:
 * every wrong value, unknown field and name that refers to no provider, in one `ConfigError`
 * whose lines start with `source`.
 */
export function validateConfig(value: GatewayConfigInput, source = 'config'): GatewayConfig {
  const parsed = gatewayConfigSchema.safeParse(value);
  const issues: ConfigIssue[] = parsed.success
    ? []
    : schemaIssues(gatewayConfigSchema, parsed.error.issues, () => undefined);
  issues.push(...providerIssues(value), ...referenceIssues(value, configuredProviders(value)));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(source, issues);
  return parsed.data;
}

/**
 * The gateway inside your own program: validates `config` (the shape of `matey.config.yaml`,
 * defaults filled in), then builds the providers (from the config, else the API keys in
 * `options.env`, else the simulated fleet of the optional peer `ai.matey.testing`), the Router,
 * the middleware chain and the Hono app. Nothing listens: mount `gateway.app`, or pass it to
 * `serveGateway` of `ai.matey.http`; `startGateway` does both and adds the WebSocket.
 *
 * @example
 * ```ts
 * import { createGatewayFromConfig } from 'ai.matey.gateway';
 * import { serveGateway } from 'ai.matey.http';
 *
 * const built = await createGatewayFromConfig({
 *   providers: { openai: { apiKey: process.env.OPENAI_API_KEY } },
 *   keys: [{ id: 'me', key: process.env.MATEY_KEY }],
 * });
 * const server = await serveGateway(built.gateway, { port: 8787 });
 * ```
 */
export async function createGatewayFromConfig(
  config: GatewayConfigInput = {},
  options: BuildOptions = {},
): Promise<BuiltGateway> {
  return buildGateway(validateConfig(config, options.configFile), options);
}
