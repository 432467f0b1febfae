/**
 * How long a wait for what a terraform run does (its PUT, its first poll) may take before it fails:
 * init and the provider's start-up, with the whole suite and a CPU hog beside them, took over 60 s.
 */
export const TERRAFORM_STEP_MS = 150_000;

/** Poll `check` until it yields a value (bounded): for events that a test can only observe from outside. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `promise`, or an error naming `what` once `ms` have passed: a bound on an event, not a measurement. */
export async function within<T>(what: string, promise: Promise<T>, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
