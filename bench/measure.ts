/** What a client process measures about itself: CPU, peak RSS, and the most file descriptors open at once. */
import { readdirSync } from 'node:fs';

export interface Measurement {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  maxOpenFds: number;
  /** V8 heap and memory outside it, sampled: where the resident memory goes. */
  peakHeapMb: number;
  peakExternalMb: number;
}

export async function measure(run: () => Promise<void>): Promise<Measurement> {
  let maxOpenFds = 0;
  let peakHeapMb = 0;
  let peakExternalMb = 0;
  const sample = () => {
    maxOpenFds = Math.max(maxOpenFds, readdirSync('/proc/self/fd').length);
    const memory = process.memoryUsage();
    peakHeapMb = Math.max(peakHeapMb, memory.heapTotal / 1024 / 1024);
    peakExternalMb = Math.max(peakExternalMb, (memory.external + memory.arrayBuffers) / 1024 / 1024);
  };
  const sampler = setInterval(sample, 5);
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    await run();
  } finally {
    clearInterval(sampler);
  }
  sample();
  const used = process.cpuUsage(cpu);
  return {
    wallMs: performance.now() - started,
    cpuMs: (used.user + used.system) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    maxOpenFds,
    peakHeapMb,
    peakExternalMb,
  };
}
