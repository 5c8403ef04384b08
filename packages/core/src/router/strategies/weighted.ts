import type { Strategy } from './strategy.ts';
import { WeightedPicker } from './weighted-picker.ts';

/** Fit backends in proportion to their registered `weight` (smooth weighted round-robin). */
export function createWeightedStrategy(): Strategy {
  const picker = new WeightedPicker();
  return (_request, { pool }) => ({ name: picker.pick([...pool]), reason: 'weighted' });
}
