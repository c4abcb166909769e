/** Milliseconds on a monotonic clock. Not `performance.now()`: its first use loads perf_hooks, ~2 ms of a CLI start. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;
