/** An option a factory does not know: a misspelling, or a shape from another library or version. */
export class UnknownOptionError extends TypeError {
  /** The option's path, `rateLimit.maxRequests`. */
  readonly option: string;
  /** The known option nearest in spelling, when one is close. */
  readonly suggestion: string | undefined;

  constructor(owner: string, option: string, known: readonly string[], suggestion: string | undefined) {
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
    super(`${owner}: unknown option '${option}'.${hint} Known: ${known.join(', ') || 'none'}.`);
    this.name = 'UnknownOptionError';
    this.option = option;
    this.suggestion = suggestion;
  }
}
