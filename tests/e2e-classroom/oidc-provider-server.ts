// The OpenID Connect provider for the classroom e2e run, as its own process (Playwright starts it before the site):
//   node tests/e2e-classroom/oidc-provider-server.ts <provider port> <site origin>
import { startTestProvider } from '../fixtures/classroom/oidc-provider.ts';

const [port, site] = process.argv.slice(2);
if (!port || !site) {
  process.stderr.write('usage: oidc-provider-server.ts <port> <site origin>\n');
  process.exit(2);
}
const provider = await startTestProvider({ port: Number(port), redirectUris: [`${site}/api/auth/callback/oidc`] });
process.stdout.write(`test OIDC provider at ${provider.issuer}\n`);
const stop = () => void provider.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
