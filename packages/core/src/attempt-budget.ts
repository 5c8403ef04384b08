/**
 * The upstream calls one client request may make, shared by everything that multiplies them: the
 * retry middleware and the Router's fallbacks draw from the same budget, so 3 retries × 3
 * backends cannot become 9 calls. The Bridge makes one per call (`maxAttempts`, default 3) and
 * hands it to the middleware (`context.attempts`) and the backend (`options.attempts`).
 *
 * @example
 * const bridge = new Bridge({ backend: router, maxAttempts: 4 });
 */
export class AttemptBudget {
  readonly max: number;
  #used = 0;

  constructor(max: number) {
    if (!(Number.isInteger(max) && max >= 1)) throw new TypeError('maxAttempts must be an integer >= 1');
    this.max = max;
  }

  /** Upstream calls made so far. */
  get used(): number {
    return this.#used;
  }

  get remaining(): number {
    return this.max - this.#used;
  }

  /** Takes one upstream call; false (and nothing taken) when the budget is spent. */
  tryTake(): boolean {
    if (this.#used >= this.max) return false;
    this.#used++;
    return true;
  }

  /** Gives back one taken call that was never made (a bulkhead refused it before the backend). */
  giveBack(): void {
    if (this.#used > 0) this.#used--;
  }
}
