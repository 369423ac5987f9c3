// Route handlers are bundled by Next and do not share module instances with server.ts,
// so the one Platform built by server.ts is handed over through globalThis.
import type { Platform } from '../lab-runner/platform.ts';

const KEY = Symbol.for('packetwalk.platform');
type Holder = { [KEY]?: Platform };

export function setPlatform(platform: Platform | undefined): void {
  (globalThis as Holder)[KEY] = platform;
}

/** The running platform, or a clear error when the site was started without server.ts. */
export function getPlatform(): Platform {
  const p = (globalThis as Holder)[KEY];
  if (!p) throw new Error('The lab platform is not running: start the site with "npm start" (server.ts), not "next start".');
  return p;
}
