// Browsers apply no same-origin policy to WebSockets, so any page could open a socket to the gateway with the
// learner's cookies (cross-site WebSocket hijacking). The ticket already stops that; the Origin check is the
// second lock: only the site's own origin (PUBLIC_URL's, or the one the Host names, or configured ALLOWED_ORIGINS)
// may connect. PUBLIC_URL counts because behind a proxy the Host may not be the browser's (nginx's usual
// `proxy_set_header Host $host` drops the port).
import type { IncomingMessage } from 'node:http';

export function isAllowedOrigin(req: IncomingMessage, allowed: readonly string[] | undefined, publicUrl?: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl && sameOrigin(publicUrl, parsed)) return true;
  if (allowed && allowed.length > 0) return allowed.some((a) => sameOrigin(a, parsed));
  // Default: the origin must name the host this request was sent to (the site serving the page).
  const host = req.headers['x-forwarded-host'] ?? req.headers.host;
  const hostValue = Array.isArray(host) ? host[0] : host?.split(',')[0]?.trim();
  return !!hostValue && parsed.host === hostValue.toLowerCase() && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
}

function sameOrigin(allowed: string, origin: URL): boolean {
  try {
    return new URL(allowed).origin === origin.origin;
  } catch {
    return false;
  }
}
