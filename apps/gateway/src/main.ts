import { runGateway } from 'ai.matey.cli';

// The main job: the gateway on 127.0.0.1:8787 (PORT, HOST override), configured by
// matey.config.yaml when present, else by the API keys in the environment, else a simulated fleet.
const configFlag = process.argv.indexOf('--config');
await runGateway(configFlag >= 0 ? process.argv[configFlag + 1] : undefined);
