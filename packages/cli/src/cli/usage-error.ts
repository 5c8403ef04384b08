/**
 * A mistake in how the command was called (unknown flag, bad number, missing file). The CLI
 * prints its message and the command's usage hint, and exits with status 2.
 */
export class UsageError extends Error {
  readonly exitCode = 2;

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
