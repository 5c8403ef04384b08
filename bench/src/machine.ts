import { cpus, loadavg, release, totalmem } from 'node:os';

/** The machine and runtime a run was measured on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  /** Processes are not pinned to cores: nothing here can pin all of them fairly on 2 cores. */
  pinning: string;
}

export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${process.platform} ${release()}`,
    node: process.version,
    pinning: 'none (mock, floor, gateway and load generator share the cores as the OS schedules them)',
  };
}

/** The 1-minute load average, rounded. */
export function loadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}
