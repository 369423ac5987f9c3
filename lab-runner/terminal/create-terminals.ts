// The terminal gateway as the Platform builds it: ticket key derived from the session secret,
// grace period and allowed origins from config.
import type { Config } from '../../lib/config.ts';
import { deriveKey, getSessionSecret } from '../../lib/learner/session-secret.ts';
import { createTerminalGateway, type TerminalGateway, type TerminalLabs } from './terminal-gateway.ts';

export function createTerminals(config: Config, labs: TerminalLabs): TerminalGateway {
  return createTerminalGateway({
    labs,
    ticketKey: deriveKey(getSessionSecret(config), 'terminal-ticket'),
    graceMs: config.TERMINAL_GRACE,
    allowedOrigins: config.ALLOWED_ORIGINS,
  });
}
