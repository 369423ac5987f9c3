// Route handlers are bundled by Next and do not share module instances with server.ts,
// so the one Platform built by server.ts is handed over through globalThis. The site's server code, not a leaf
// utility: it holds the engine's Platform, so it lives beside the routes (app/) and lib/ stays free of the engine.
import type { Platform } from '../../lab-runner/index.ts';
import { setAccountResolver } from '../../lib/auth/account-handle.ts';

const KEY = Symbol.for('packetwalk.platform');
type Holder = { [KEY]?: Platform };

export function setPlatform(platform: Platform | undefined): void {
  (globalThis as Holder)[KEY] = platform;
  // With accounts (AUTH=accounts|oidc) sessions name learners; anonymous mode keeps today's cookie-only lookup.
  const auth = platform?.config.AUTH;
  setAccountResolver(platform && (auth === 'accounts' || auth === 'oidc') ? platform.classroom.resolver() : undefined);
}

const REASON = Symbol.for('packetwalk.platform-unavailable');
type ReasonHolder = { [REASON]?: string };

/** Why server.ts could not build the platform (e.g. "Docker is not reachable: …"); lessons still work without it. */
export function setPlatformUnavailable(reason: string | undefined): void {
  (globalThis as ReasonHolder)[REASON] = reason;
}

export function getPlatformUnavailableReason(): string | undefined {
  return (globalThis as ReasonHolder)[REASON];
}

/** The running platform, or a clear error when the site was started without server.ts. */
export function getPlatform(): Platform {
  const p = (globalThis as Holder)[KEY];
  if (!p) {
    const reason = getPlatformUnavailableReason();
    throw new Error(reason ?? 'The lab platform is not running: start the site with "npm start" (server.ts), not "next start".');
  }
  return p;
}
