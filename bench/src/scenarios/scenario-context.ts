import type { Topology } from './topology.ts';

/** What every scenario gets: the mode, the running servers and a logger. */
export interface ScenarioContext {
  smoke: boolean;
  /** The mock, floor and gateway processes (started once, shared by the HTTP scenarios). */
  topology: () => Promise<Topology>;
  log: (line: string) => void;
  soakSeconds: number;
}

/** The three HTTP paths every comparison is made between. */
export const PATHS = ['direct', 'floor', 'gateway'] as const;
export type PathName = (typeof PATHS)[number];

/** The server that answers for a path. */
export function serverFor(topology: Topology, path: PathName): { url: string } {
  return path === 'direct' ? topology.mock : path === 'floor' ? topology.floor : topology.gateway;
}

/** Lets sockets close and timers settle between runs, so one run's tail is not the next's head. */
export function settle(ms = 500): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
