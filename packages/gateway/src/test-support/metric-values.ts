/** Every sample of a gateway's `/metrics`, by its name and labels. */
export async function metricValues(
  url: string,
  headers: Record<string, string> = {},
): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers })).text();
  const samples: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(\S+) (\S+)$/.exec(line);
    if (match?.[1] && !line.startsWith('#')) samples[match[1]] = Number(match[2]);
  }
  return samples;
}
