import { defaultCatalog } from 'ai.matey.backend';
import type { BuiltGateway } from 'ai.matey.gateway';

/** One model of one enabled provider, with what the catalog knows of it. */
export interface ModelRow {
  provider: string;
  model: string;
  contextWindow: number | undefined;
  /** USD per million input tokens. */
  inputPerMTok: number | undefined;
  /** USD per million output tokens. */
  outputPerMTok: number | undefined;
  /** Where the id came from: the provider's own model list, or the bundled catalog. */
  source: 'provider' | 'catalog';
}

const LIST_TIMEOUT_MS = 5_000;

/**
 * Each enabled provider's models: its own list-models answer where it has one, else the ids the
 * gateway knows for it (config and catalog). Listed per provider rather than through
 * `router.listModels()`, so a row keeps the provider's configured name and one provider that
 * cannot list falls back to the catalog alone. Context window and prices come from the catalog.
 */
export async function listProviderModels(built: BuiltGateway, only?: string): Promise<ModelRow[]> {
  const providers = built.providers.filter((p) => only === undefined || p.name === only);
  const lists = await Promise.all(
    providers.map(async (provider) => {
      const backend = built.router.getBackend(provider.name);
      const listed = await backend
        ?.listModels?.({ signal: AbortSignal.timeout(LIST_TIMEOUT_MS) })
        .catch(() => undefined);
      const ids = listed && listed.length > 0 ? listed.map((m) => m.id) : provider.models;
      const source: ModelRow['source'] = listed && listed.length > 0 ? 'provider' : 'catalog';
      return [...new Set(ids)].sort().map((model): ModelRow => {
        const entry = defaultCatalog.find(model, provider.type);
        return {
          provider: provider.name,
          model,
          contextWindow: entry?.contextWindow,
          inputPerMTok: entry?.pricing?.inputPerMTok,
          outputPerMTok: entry?.pricing?.outputPerMTok,
          source,
        };
      });
    }),
  );
  return lists.flat();
}

/** The rows as an aligned table, for a terminal. */
export function formatModelTable(rows: readonly ModelRow[]): string {
  const header = ['PROVIDER', 'MODEL', 'CONTEXT', 'IN $/MTok', 'OUT $/MTok'];
  const cells = rows.map((row) => [
    row.provider,
    row.model,
    row.contextWindow === undefined ? '-' : tokens(row.contextWindow),
    row.inputPerMTok === undefined ? '-' : price(row.inputPerMTok),
    row.outputPerMTok === undefined ? '-' : price(row.outputPerMTok),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((c) => (c[i] ?? '').length)));
  const numeric = new Set([2, 3, 4]);
  const line = (values: string[]) =>
    values
      .map((value, i) => (numeric.has(i) ? value.padStart(widths[i] ?? 0) : value.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

function tokens(count: number): string {
  if (count >= 1_000_000) return `${+(count / 1_000_000).toFixed(2)}M`;
  if (count >= 1_000) return `${Math.round(count / 1_000)}k`;
  return String(count);
}

function price(usd: number): string {
  return usd >= 1 ? usd.toFixed(2) : usd.toFixed(usd >= 0.1 ? 3 : 4);
}
