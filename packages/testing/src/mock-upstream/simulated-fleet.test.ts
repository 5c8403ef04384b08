import { describe, expect, it } from 'vitest';
import { mulberry32, simulatedProfiles, startSimulatedFleet } from './simulated-fleet.ts';
import { sendChat } from './test-requests.ts';

describe('startSimulatedFleet', () => {
  it('starts openai, anthropic, groq and deepseek, each answering in its own protocol', async () => {
    await using fleet = await startSimulatedFleet(undefined, { timeScale: 0, failureRate: 0 });
    expect(fleet.providers.map((provider) => provider.name)).toEqual([
      'openai',
      'anthropic',
      'groq',
      'deepseek',
    ]);
    expect(new Set(Object.values(fleet.urls)).size).toBe(4);
    for (const provider of fleet.providers) {
      const model = provider.models.at(-1);
      const res = await sendChat(provider.url, provider.protocol, {
        text: 'hello fleet',
        ...(model ? { model } : {}),
      });
      expect(res.status, provider.name).toBe(200);
      expect(res.text, provider.name).toContain('hello fleet');
      expect(res.text, provider.name).toContain(`simulated ${provider.name}`);
    }
    const deepseek = await sendChat(fleet.urls.deepseek ?? '', 'openai-chat', { model: 'deepseek-reasoner' });
    expect(JSON.parse(deepseek.text).choices[0].message.reasoning_content).toMatch(/short answer/);
    const models = await fetch(`${fleet.urls.groq}/openai/v1/models`);
    expect(((await models.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id)).toEqual(
      simulatedProfiles.groq?.models,
    );
  });

  it('fails the same calls for the same seed, at about the failure rate', async () => {
    const profile = {
      ...(simulatedProfiles.anthropic as NonNullable<typeof simulatedProfiles.anthropic>),
      seed: 42,
      failureRate: 0.3,
    };
    const outcomes: number[][] = [];
    for (let run = 0; run < 2; run++) {
      await using fleet = await startSimulatedFleet([profile], { timeScale: 0 });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++)
        statuses.push((await sendChat(fleet.urls.anthropic ?? '', 'anthropic-messages')).status);
      outcomes.push(statuses);
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    const failures = outcomes[0]?.filter((status) => status !== 200) ?? [];
    expect(failures.length).toBeGreaterThan(2);
    expect(failures.length).toBeLessThan(20);
    expect(new Set(failures)).toEqual(new Set([529]));
  });

  it('closes every upstream', async () => {
    const fleet = await startSimulatedFleet(
      [simulatedProfiles.google as NonNullable<typeof simulatedProfiles.google>],
      {
        timeScale: 0,
      },
    );
    const url = fleet.urls.google ?? '';
    expect((await sendChat(url, 'gemini')).status).toBeLessThan(600);
    await fleet.close();
    await expect(fetch(`${url}/v1beta/models`)).rejects.toThrow();
  });

  it('has a seedable PRNG', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const values = Array.from({ length: 5 }, () => a());
    expect(values).toEqual(Array.from({ length: 5 }, () => b()));
    for (const value of values) expect(value).toBeGreaterThanOrEqual(0);
    expect(new Set(values).size).toBe(5);
  });
});
