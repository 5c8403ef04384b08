/**
 * Smooth weighted round-robin (as in nginx): over any window of sum(weights) picks, each
 * candidate is chosen in proportion to its weight, spread evenly, and the sequence depends only
 * on the names and weights, not on the order they were registered in.
 */
export class WeightedPicker {
  readonly #current = new Map<string, number>();

  pick(candidates: Array<{ name: string; weight: number }>): string | undefined {
    const sorted = [...candidates].filter((c) => c.weight > 0).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (sorted.length === 0) return undefined;
    let total = 0;
    let best: { name: string; weight: number } | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const candidate of sorted) {
      const score = (this.#current.get(candidate.name) ?? 0) + candidate.weight;
      this.#current.set(candidate.name, score);
      total += candidate.weight;
      if (score > bestScore) {
        bestScore = score;
        best = candidate;
      }
    }
    if (!best) return undefined;
    this.#current.set(best.name, bestScore - total);
    return best.name;
  }
}
