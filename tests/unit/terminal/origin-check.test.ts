// The terminal's Origin check behind a proxy: PUBLIC_URL's origin is the site's own even when the Host the proxy
// passes on has lost its port (nginx's `proxy_set_header Host $host`).
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from '../../../lab-runner/terminal/origin-check.ts';

const upgrade = (headers: IncomingMessage['headers']) => ({ headers }) as IncomingMessage;

describe('isAllowedOrigin', () => {
  it('accepts PUBLIC_URL’s origin whatever Host the proxy sends', () => {
    const req = upgrade({ origin: 'https://localhost:8443', host: 'localhost' });
    expect(isAllowedOrigin(req, undefined)).toBe(false); // the Host alone does not name the browser's origin
    expect(isAllowedOrigin(req, undefined, 'https://localhost:8443')).toBe(true);
    expect(isAllowedOrigin(req, ['https://other.example'], 'https://localhost:8443/')).toBe(true);
  });

  it('still refuses other origins, and the right host with the wrong scheme', () => {
    expect(isAllowedOrigin(upgrade({ origin: 'https://evil.example', host: 'localhost' }), undefined, 'https://localhost:8443')).toBe(false);
    expect(isAllowedOrigin(upgrade({ origin: 'http://localhost:8443', host: 'localhost' }), undefined, 'https://localhost:8443')).toBe(false);
    expect(isAllowedOrigin(upgrade({ host: 'localhost' }), undefined, 'https://localhost:8443')).toBe(false);
  });

  it('keeps the Host match when PUBLIC_URL is unset', () => {
    expect(isAllowedOrigin(upgrade({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' }), undefined)).toBe(true);
  });
});
