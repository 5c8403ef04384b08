import { runGateway } from 'ai.matey.gateway';

// The main job: the gateway on 127.0.0.1:8787 (PORT, HOST override), configured by
// matey.config.yaml when present, else by the API keys in the environment, else a simulated fleet.
// pnpm runs this in apps/gateway: the config is looked for where the user started the command
// (`./run.sh start` passes MATEY_START_DIR; pnpm itself sets INIT_CWD), not here.
const configFlag = process.argv.indexOf('--config');
await runGateway(configFlag >= 0 ? process.argv[configFlag + 1] : undefined, {
  configSearchDir: process.env.MATEY_START_DIR || process.env.INIT_CWD || process.cwd(),
});
