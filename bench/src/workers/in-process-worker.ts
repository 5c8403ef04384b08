// Child process for the in-process benchmarks, so their heap and JIT state start fresh and the
// load generator's leftovers do not weigh on them. `--task=chain|codec [--smoke]`; the result
// goes back over IPC.
import { argValue } from '../servers/child-ipc.ts';
import { measureChainOverhead } from './chain-overhead.ts';
import { measureCodecThroughput } from './codec-throughput.ts';

const task = argValue('task');
const smoke = process.argv.includes('--smoke');
const result = task === 'chain' ? await measureChainOverhead(smoke) : measureCodecThroughput(smoke);
process.send?.({ type: 'result', result }, () => process.exit(0));
