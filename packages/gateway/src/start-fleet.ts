import type { SimulatedFleet, SimulatedFleetOptions } from 'ai.matey.testing';

/**
 * Starts the simulated fleet (local mock providers) that serves when no provider is configured
 * and no API key is set. It lives in ai.matey.testing, an optional peer dependency: the test kit
 * stays out of an install that serves real providers, and a user who wants the demo asks for it.
 */
export async function startFleet(options: SimulatedFleetOptions): Promise<SimulatedFleet> {
  let testing: typeof import('ai.matey.testing');
  try {
    testing = await import('ai.matey.testing');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      'no provider is configured and no API key is set; the simulated fleet that would serve instead ' +
        'comes with ai.matey.testing (npm install ai.matey.testing), or set a provider key such as ' +
        'OPENAI_API_KEY, or name providers in a config file (--config)',
      { cause: error },
    );
  }
  return testing.startSimulatedFleet(undefined, options);
}
