// The origins of the site's own pages for the same-site check on changes (same-site.ts): ALLOWED_ORIGINS plus
// PUBLIC_URL's. Behind a reverse proxy the Host the server receives may not be the one the browser used (nginx's
// usual `proxy_set_header Host $host` drops a non-default port), so PUBLIC_URL is what names our pages there.
import type { Config } from '../config.ts';

export function siteOrigins(config: Pick<Config, 'ALLOWED_ORIGINS' | 'PUBLIC_URL'>): string[] {
  return [...(config.ALLOWED_ORIGINS ?? []), ...(config.PUBLIC_URL ? [config.PUBLIC_URL] : [])];
}
