/** Polls until `check` returns a value (not undefined/false) or `timeoutMs` runs out, naming `what`. */
export async function pollUntil<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
