import { readFile } from 'node:fs/promises';
import { readConfigDocument } from './config-document.ts';
import { ConfigError, type ConfigIssue } from './config-error.ts';
import { configuredProviders, providerIssues, referenceIssues } from './config-references.ts';
import { type GatewayConfig, gatewayConfigSchema } from './config-schema.ts';
import { coerceInterpolated, interpolateEnv } from './interpolate-env.ts';
import { leafIssues, schemaIssues } from './schema-issues.ts';

export { ConfigError, type ConfigIssue } from './config-error.ts';

/**
 * Reads a gateway config file (YAML or JSON), replaces `${VAR}` and `${VAR:-default}` with
 * environment values, and validates it. Errors name the file, the line and the field.
 */
export async function loadConfigFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GatewayConfig> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(path, [
      { field: '', message: `cannot read the config file: ${error.code ?? error.message}` },
    ]);
  });
  return parseConfig(text, path, env);
}

/**
 * Parses and validates config text. Every problem is collected before anything is thrown, so one
 * `ConfigError` lists them all: syntax, unset variables, wrong values, unknown fields (each at its
 * own line), names that refer to no provider, duplicate keys.
 */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const document = readConfigDocument(text);
  if (document.issues.length > 0) throw new ConfigError(file, document.issues);
  const { value: raw, missing, whole } = interpolateEnv(document.value, env);
  const located = (issue: ConfigIssue): ConfigIssue => ({
    ...issue,
    line: issue.line ?? document.lineOf(issue.field.split('.')),
  });
  const issues: ConfigIssue[] = missing.map(({ name, path }) =>
    located({
      field: path,
      message: `environment variable ${name} is not set (use \${${name}:-default} for a default)`,
    }),
  );
  let parsed = gatewayConfigSchema.safeParse(raw);
  if (!parsed.success && coerceInterpolated(raw, parsed.error.issues.flatMap(leafIssues), whole)) {
    parsed = gatewayConfigSchema.safeParse(raw);
  }
  if (!parsed.success) {
    // A field whose variable is unset is already reported; what the schema says of '' adds nothing.
    const unset = new Set(missing.map(({ path }) => path));
    const found = schemaIssues(gatewayConfigSchema, parsed.error.issues, document.lineOf);
    issues.push(...found.filter((issue) => !unset.has(issue.field)));
  }
  issues.push(...[...providerIssues(raw), ...referenceIssues(raw, configuredProviders(raw))].map(located));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(file, issues);
  return parsed.data;
}
