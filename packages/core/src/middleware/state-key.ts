/**
 * A typed key for `context.state`, the per-call scratch space a chain shares: the middleware
 * that writes a value and the ones that read it agree on its type through the key, not on a
 * bare string. The key's `name` is the string under which the value sits in the map.
 *
 * @example
 * export const RETRY_STATE = new StateKey<RetryRecord>('retry');
 * RETRY_STATE.set(context.state, record);        // in the retry middleware
 * RETRY_STATE.get(context.state)?.attempts;      // in the logging middleware: a number
 */
export class StateKey<T> {
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  get(state: ReadonlyMap<string, unknown>): T | undefined {
    return state.get(this.name) as T | undefined;
  }

  set(state: Map<string, unknown>, value: T): void {
    state.set(this.name, value);
  }
}
