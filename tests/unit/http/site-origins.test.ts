// Changes from the site's own pages behind a proxy: the same-site check accepts PUBLIC_URL's origin even when the
// Host the proxy passes on has lost its port, and still refuses everyone else.
import { describe, expect, it } from 'vitest';
import { crossSiteRefusal } from '../../../lib/http/same-site.ts';
import { siteOrigins } from '../../../lib/http/site-origins.ts';

const post = (origin: string) =>
  new Request('http://localhost/api/labs', { method: 'POST', headers: { origin, host: 'localhost', 'sec-fetch-site': 'same-origin' } });

describe('siteOrigins', () => {
  it('is ALLOWED_ORIGINS plus PUBLIC_URL', () => {
    expect(siteOrigins({ ALLOWED_ORIGINS: undefined, PUBLIC_URL: undefined })).toEqual([]);
    expect(siteOrigins({ ALLOWED_ORIGINS: ['https://a.example'], PUBLIC_URL: 'https://labs.example.org' })).toEqual([
      'https://a.example',
      'https://labs.example.org',
    ]);
  });

  it('lets the same-site check accept the public origin behind a proxy that dropped the port', () => {
    const config = { ALLOWED_ORIGINS: undefined, PUBLIC_URL: 'https://localhost:8443' };
    expect(crossSiteRefusal(post('https://localhost:8443'), undefined)).toMatch(/only be started from this site/);
    expect(crossSiteRefusal(post('https://localhost:8443'), siteOrigins(config))).toBeUndefined();
    expect(crossSiteRefusal(post('https://evil.example'), siteOrigins(config))).toMatch(/not from https:\/\/evil\.example/);
  });
});
