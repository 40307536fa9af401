import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** cgroup v2's CPU quota for this process's group: "<quota> <period>" or "max <period>". */
const CGROUP_CPU_MAX = '/sys/fs/cgroup/cpu.max';

/**
 * Cores this process may really use: the cores it is scheduled on, capped by a container's CPU
 * quota (`docker run --cpus 1` leaves every host core visible but allows one core's time), so
 * `INFERENCE_WORKERS=auto` does not start a worker, and a copy of every model, per host core.
 */
export function usableCores(cpuMaxPath = CGROUP_CPU_MAX): number {
  const visible = availableParallelism();
  const quota = cpuQuota(cpuMaxPath);
  return quota === undefined ? visible : Math.max(1, Math.min(visible, Math.ceil(quota)));
}

/** The quota in cores, or undefined when there is none or it cannot be read. */
export function cpuQuota(cpuMaxPath: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(cpuMaxPath, 'utf8');
  } catch {
    return undefined;
  }
  const [quota, period] = text.trim().split(/\s+/);
  const q = Number(quota);
  const p = Number(period);
  return quota === 'max' || !(q > 0) || !(p > 0) ? undefined : q / p;
}
