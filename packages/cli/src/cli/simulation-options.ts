import type { BuildOptions } from 'ai.matey.gateway';
import { UsageError } from './usage-error.ts';

/**
 * Build options for the simulated fleet from the environment: `MATEY_SIM_TIME_SCALE` (0 makes
 * every simulated call instant) and `MATEY_SIM_FAILURE_RATE` (0 for a fleet that never fails).
 * Tests and demos set them; they change nothing when real providers are configured.
 */
export function simulationOptions(
  env: NodeJS.ProcessEnv,
): Pick<BuildOptions, 'fleetTimeScale' | 'fleetFailureRate'> {
  const timeScale = read(env, 'MATEY_SIM_TIME_SCALE', 1_000);
  const failureRate = read(env, 'MATEY_SIM_FAILURE_RATE', 1);
  return {
    ...(timeScale === undefined ? {} : { fleetTimeScale: timeScale }),
    ...(failureRate === undefined ? {} : { fleetFailureRate: failureRate }),
  };
}

function read(env: NodeJS.ProcessEnv, name: string, max: number): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new UsageError(`${name} wants a number from 0 to ${max}, got "${text}"`);
  }
  return value;
}
