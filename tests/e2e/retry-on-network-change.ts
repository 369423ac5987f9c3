// Chromium aborts every request in flight with net::ERR_NETWORK_CHANGED when a network interface appears or goes, as
// a Docker bridge does whenever a lab (this run's, or anyone's on a shared engine) starts or stops. The site itself
// retries its own fetches (tests/e2e/network-change.spec.ts); a top-level navigation that a test drives cannot be
// retried by the page. This runs such a browser flow again from its start, only when that exact failure happened
// during the attempt, so any other failure still fails the test at once.
import type { BrowserContext, Request } from '@playwright/test';

const NETWORK_CHANGED = 'net::ERR_NETWORK_CHANGED';

export async function retryOnNetworkChange<T>(context: BrowserContext, flow: (attempt: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let changed = false;
    const onFailed = (r: Request) => {
      if (r.failure()?.errorText === NETWORK_CHANGED) changed = true;
    };
    context.on('requestfailed', onFailed);
    try {
      return await flow(attempt);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (attempt >= attempts || !(changed || message.includes(NETWORK_CHANGED))) throw err;
      process.stderr.write(`retrying a browser flow after ${NETWORK_CHANGED} (attempt ${attempt} of ${attempts})\n`);
    } finally {
      context.off('requestfailed', onFailed);
    }
  }
}
