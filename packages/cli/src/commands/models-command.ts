import type { CliIo } from '../cli/cli-io.ts';
import { checkProvider, openLocalGateway } from '../cli/open-local-gateway.ts';
import { parseCommandArgs } from '../cli/parse-command-args.ts';
import { UsageError } from '../cli/usage-error.ts';
import { formatModelTable, listProviderModels } from '../models/list-provider-models.ts';

export const MODELS_USAGE = `Usage: matey models [options]

Lists the models of the providers \`matey serve\` would use, with context window and prices
(USD per million tokens) from the bundled catalog. Providers that cannot list their models are
shown with the catalog's models for them.

Options:
  -p, --provider NAME   only this provider
      --json            a JSON array: {provider, model, contextWindow, inputPerMTok, outputPerMTok, source}
  -c, --config FILE     gateway config file (YAML or JSON)
  -h, --help            this text`;

/** `matey models`: the configured providers' models, as a table or JSON. */
export async function modelsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('models', args, {
    provider: { type: 'string', short: 'p' },
    json: { type: 'boolean' },
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(`${MODELS_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`models takes no arguments (got "${positionals[0]}")`);
  const built = await openLocalGateway(io, { config: values.config });
  try {
    checkProvider(built, values.provider);
    const rows = await listProviderModels(built, values.provider);
    io.stdout.write(
      values.json
        ? `${JSON.stringify(rows, (_key, value: unknown) => value ?? null, 2)}\n`
        : `${formatModelTable(rows)}\n`,
    );
    if (!values.json && built.providers.some((p) => p.simulated)) {
      io.stderr.write('(no API keys found: these are the simulated fleet’s providers)\n');
    }
    return 0;
  } finally {
    await built.close();
  }
}
