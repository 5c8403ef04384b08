import type { HttpTransport } from 'ai.matey.backend';
import type { SimulatedFleet } from 'ai.matey.testing';
import type { ClaimCheck } from './claims.ts';
import type { FleetBackends } from './fleet-backends.ts';

/** One row of the final table. */
export interface PatternSummary {
  pattern: string;
  /** What ran, in a few words. */
  ran: string;
  /** What was measured, with its unit. */
  measured: string;
  /** Each published figure for the pattern next to what this run measured (met, missed and why). */
  checks: ClaimCheck[];
  /** The pattern did what it is for (every pattern sets this from its own checks). */
  ok: boolean;
  /** Wall-clock time the pattern took. */
  durationMs: number;
}

/** What every pattern returns besides its own figures: its part of a table row, and lines of detail. */
export interface PatternOutcome {
  summary: Omit<PatternSummary, 'pattern' | 'checks' | 'durationMs'>;
  /** Human-readable detail, printed under the pattern's heading. */
  details: string[];
}

/** A simulated fleet with the four providers' adapters pointed at it. */
export interface RunningFleet {
  fleet: SimulatedFleet;
  backends: FleetBackends;
}

/** What the run hands each pattern. */
export interface PatternContext {
  /** Multiplies every simulated latency and generation time (1: as the real providers). */
  timeScale: number;
  quick: boolean;
  transport: HttpTransport;
  /** A fleet that never fails on its own; patterns inject the faults they are about. */
  clean: RunningFleet;
  /** A fleet whose first providers fail often (failover load, health monitoring). */
  flaky: RunningFleet;
}
