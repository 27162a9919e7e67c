/**
 * Clocks for the load generator. `now()` is monotonic, for durations inside one
 * process; `epochMs()` is wall-clock with sub-millisecond resolution, stamped
 * into broadcast frames so a recipient in any process can compute latency.
 */
export const now = (): number => performance.now();

export const epochMs = (): number => performance.timeOrigin + performance.now();

/** milliseconds → nanoseconds, the histogram's unit */
export const msToNs = (ms: number): number => ms * 1e6;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
