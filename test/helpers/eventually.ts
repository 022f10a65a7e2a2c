/**
 * Polls an assertion until it passes, for at most `ms`: for what settles asynchronously (replication, background
 * copies). The last failure is thrown when time runs out, so the test reports what was still wrong.
 */
export async function eventuallyPasses(check: () => Promise<void>, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
