// The terminal gateway as the Platform builds it: ticket key derived from the session secret,
// grace period and allowed origins from config.
import type { Config } from '../../lib/config.ts';
import { deriveKey, getSessionSecret } from '../../lib/learner/session-secret.ts';
import { AddressSet } from '../../lib/net/cidr.ts';
import { clientAddress } from '../../lib/net/client-address.ts';
import { createTerminalGateway, type TerminalGateway, type TerminalLabs } from './terminal-gateway.ts';

export function createTerminals(config: Config, labs: TerminalLabs): TerminalGateway {
  const trusted = new AddressSet(config.TRUSTED_PROXY);
  return createTerminalGateway({
    clientAddress: (req) => clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted),
    maxSessions: config.TERMINAL_MAX_SESSIONS,
    labs,
    ticketKey: deriveKey(getSessionSecret(config), 'terminal-ticket'),
    graceMs: config.TERMINAL_GRACE,
    allowedOrigins: config.ALLOWED_ORIGINS,
  });
}
