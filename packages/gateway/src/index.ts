export { type BuildOptions, type BuiltGateway, buildGateway, type EnabledProvider } from './build-gateway.ts';
export { type GatewayConfig, type GatewayConfigInput, gatewayConfigSchema } from './config-schema.ts';
export { createGatewayFromConfig, validateConfig } from './create-gateway-from-config.ts';
export { ConfigError, type ConfigIssue, loadConfigFile, parseConfig } from './load-config.ts';
export { createModelAliasMiddleware } from './model-alias-middleware.ts';
export type { GatewayTelemetry } from './open-telemetry.ts';
export {
  DEFAULT_CONFIG_FILES,
  describeConfigSource,
  displayPath,
  type ResolvedConfig,
  type RunGatewayOptions,
  resolveConfig,
  runGateway,
  runGatewayUntilStopped,
} from './run-gateway.ts';
export { banner, type StartedGateway, startGateway } from './start-gateway.ts';
export { type TelemetryConfig, telemetryConfigSchema } from './telemetry-config-schema.ts';
