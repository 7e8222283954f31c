import { statfsSync } from 'node:fs';
import { arch, cpus, freemem, hostname, loadavg, platform, release, totalmem } from 'node:os';

export interface MachineDescription {
  host: string;
  platform: string;
  cpuModel: string;
  cpus: number;
  memoryMB: number;
  freeMemoryMB: number;
  /** 1, 5 and 15 minute load averages when the run started: a shared machine shows here. */
  loadAverage: number[];
  node: string;
}

export interface DiskDescription {
  dir: string;
  /** statfs filesystem type, as the kernel's magic number in hex (ef53 = ext4, 1021994 = tmpfs, 794c7630 = overlayfs). */
  fsType: string;
  blockBytes: number;
  freeMB: number;
}

export function describeMachine(): MachineDescription {
  const cores = cpus();
  return {
    host: hostname(),
    platform: `${platform()} ${release()} ${arch()}`,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpus: cores.length,
    memoryMB: Math.round(totalmem() / 2 ** 20),
    freeMemoryMB: Math.round(freemem() / 2 ** 20),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
  };
}

export function describeDisk(dir: string): DiskDescription {
  const s = statfsSync(dir);
  return { dir, fsType: s.type.toString(16), blockBytes: s.bsize, freeMB: Math.round((s.bavail * s.bsize) / 2 ** 20) };
}
