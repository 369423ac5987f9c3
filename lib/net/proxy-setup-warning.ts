// A site that says it is served over https (PUBLIC_URL) but trusts no proxy is almost always a TLS proxy in front
// with TRUSTED_PROXY forgotten: every forwarded header is then ignored. Said once at start-up, not per request.
import type { Config } from '../config.ts';

export function proxySetupWarning(config: Pick<Config, 'PUBLIC_URL' | 'TRUSTED_PROXY'>): string | undefined {
  if (!config.PUBLIC_URL?.startsWith('https:') || config.TRUSTED_PROXY.length > 0) return undefined;
  return (
    "PUBLIC_URL is https but TRUSTED_PROXY is unset: the proxy's X-Forwarded-Proto and X-Forwarded-For are ignored, so cookies are " +
    "not marked Secure and every learner counts as the proxy's address. Set TRUSTED_PROXY to the proxy's address (docs/classroom.md)."
  );
}
