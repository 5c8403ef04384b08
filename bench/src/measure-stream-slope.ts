// Ad-hoc: server CPU per stream at 1 and at 100 chunks, floor and gateway, to split what a
// stream costs once (request, routing, upstream call) from what each chunk costs.
// `node bench/src/measure-stream-slope.ts`
import { openaiTarget } from './load/request-bodies.ts';
import { meteredStreams } from './scenarios/streaming-lanes.ts';
import { startTopology } from './scenarios/topology.ts';

const topology = await startTopology();
const rows: string[] = [];
try {
  for (let round = 0; round < 2; round++) {
    for (const chunks of [1, 100]) {
      await topology.setReply({ chunkCount: chunks });
      for (const server of [topology.floor, topology.gateway]) {
        const target = openaiTarget(server.name, server.url, 'gpt-4o-mini', true);
        const run = await meteredStreams(server, target, { count: 400, warmup: 50, chunks, concurrency: 4 });
        const perStream = Math.round(run.cpuUsPerChunk * chunks);
        rows.push(`round ${round} ${server.name} ${chunks} chunks: ${perStream} µs CPU/stream`);
        console.log(rows.at(-1));
      }
    }
  }
} finally {
  await topology.stop();
}
