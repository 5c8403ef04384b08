export { type BuildOptions, type BuiltGateway, buildGateway, type EnabledProvider } from './build-gateway.ts';
export { type GatewayConfig, type GatewayConfigInput, gatewayConfigSchema } from './config-schema.ts';
export { ConfigError, loadConfigFile, parseConfig } from './load-config.ts';
export {
  DEFAULT_CONFIG_FILES,
  type RunGatewayOptions,
  resolveConfig,
  runGateway,
  runGatewayUntilStopped,
} from './run-gateway.ts';
export { banner, type StartedGateway, startGateway } from './start-gateway.ts';
