/** Policy days to milliseconds. Pure and dependency-free so workflow code can import it. */
export function daysToMs(policy: { secondsPerDay: number }, days: number): number {
  return Math.round(days * policy.secondsPerDay * 1000);
}

export const DAY_MS = 86_400_000;
