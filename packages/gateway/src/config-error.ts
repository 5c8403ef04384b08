/** One problem in a config file: where it is and what is wrong. */
export interface ConfigIssue {
  /** Dotted path of the field (`routing.fallbacks.1`), `(root)` for the whole file. */
  field: string;
  line?: number | undefined;
  message: string;
}

/**
 * Everything wrong with a config file, located: one line per problem, `file:line: field: message`,
 * in file order. `line` and `field` are those of the first problem.
 */
export class ConfigError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[]) {
    const sorted = [...issues].sort(
      (a, b) => (a.line ?? Number.POSITIVE_INFINITY) - (b.line ?? Number.POSITIVE_INFINITY),
    );
    super(sorted.map((issue) => formatIssue(file, issue)).join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.issues = sorted;
    this.line = sorted[0]?.line;
    this.field = sorted[0]?.field;
  }
}

function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.line ? `${file}:${issue.line}` : file;
  return issue.field === '' ? `${where}: ${issue.message}` : `${where}: ${issue.field}: ${issue.message}`;
}
