import type { MachineInfo } from './machine.ts';
import type { BatchResult } from './scenarios/batch.ts';
import type { DistributedBatchResult } from './scenarios/distributed-batch.ts';
import type { FixedRateResult } from './scenarios/fixed-rate.ts';
import type { LatencyResult } from './scenarios/latency.ts';
import type { MemoryResult } from './scenarios/memory.ts';
import type { PeersResult } from './scenarios/peers.ts';
import type { ReplicasResult } from './scenarios/replicas.ts';
import type { SemanticCacheResult } from './scenarios/semantic-cache.ts';
import type { SoakResult } from './scenarios/soak.ts';
import type { StreamingResult } from './scenarios/streaming.ts';
import type { ThroughputResult } from './scenarios/throughput.ts';
import type { TranslationResult } from './scenarios/translation.ts';
import type { WebSocketResult } from './scenarios/websocket.ts';
import type { WorkersResult } from './scenarios/workers.ts';
import type { ChainOverheadResult } from './workers/chain-overhead.ts';
import type { CodecThroughputResult } from './workers/codec-throughput.ts';

/** Every scenario's result, by scenario name. */
export interface ScenarioResults {
  throughput: ThroughputResult;
  latency: LatencyResult;
  'fixed-rate': FixedRateResult;
  streaming: StreamingResult;
  translation: TranslationResult;
  chain: ChainOverheadResult;
  codec: CodecThroughputResult;
  websocket: WebSocketResult;
  batch: BatchResult;
  'distributed-batch': DistributedBatchResult;
  soak: SoakResult;
  peers: PeersResult;
  workers: WorkersResult;
  'semantic-cache': SemanticCacheResult;
  replicas: ReplicasResult;
  memory: MemoryResult;
}

export type ScenarioName = keyof ScenarioResults;

export const SCENARIOS: ScenarioName[] = [
  'throughput',
  'latency',
  'fixed-rate',
  'streaming',
  'translation',
  'chain',
  'codec',
  'websocket',
  'batch',
  'distributed-batch',
  'peers',
  'workers',
  'soak',
  'semantic-cache',
  'replicas',
  'memory',
];

/** When and how long each scenario ran (they may come from different invocations with --only). */
export interface ScenarioRun {
  startedAt: string;
  seconds: number;
  /** Load average (1 min) when it started: other work on the machine skews the figures. */
  loadAverage: number;
  smoke: boolean;
}

/** One goal of the issue, checked against this run's figures. */
export interface GoalCheck {
  area: string;
  goal: string;
  measured: string;
  status: 'met' | 'missed' | 'reported' | 'not run';
}

/** The top self-time functions of a `--cpu-prof` profile of the gateway. */
export interface ProfileSummary {
  scenario: string;
  takenAt: string;
  /** Sampled CPU time, idle excluded (ms). */
  busyMs: number;
  top: Array<{ function: string; location: string; percentOfBusy: number }>;
  /** Self time summed by package or layer. */
  byArea: Array<{ area: string; percentOfBusy: number }>;
}

export interface BenchResults {
  schema: 1;
  mode: 'full' | 'smoke';
  command: string;
  machine: MachineInfo;
  scenarios: Partial<ScenarioResults>;
  runs: Partial<Record<ScenarioName, ScenarioRun>>;
  goals: GoalCheck[];
  profile?: ProfileSummary;
}
