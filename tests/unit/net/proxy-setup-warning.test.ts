import { describe, expect, it } from 'vitest';
import { proxySetupWarning } from '../../../lib/net/proxy-setup-warning.ts';

describe('proxySetupWarning', () => {
  it('warns when the site is public over https and trusts no proxy', () => {
    expect(proxySetupWarning({ PUBLIC_URL: 'https://labs.example.org', TRUSTED_PROXY: [] })).toMatch(/TRUSTED_PROXY is unset.*not marked Secure/);
  });

  it('is quiet with a trusted proxy, over plain http, or without PUBLIC_URL', () => {
    expect(proxySetupWarning({ PUBLIC_URL: 'https://labs.example.org', TRUSTED_PROXY: ['127.0.0.1'] })).toBeUndefined();
    expect(proxySetupWarning({ PUBLIC_URL: 'http://127.0.0.1:3000', TRUSTED_PROXY: [] })).toBeUndefined();
    expect(proxySetupWarning({ PUBLIC_URL: undefined, TRUSTED_PROXY: [] })).toBeUndefined();
  });
});
