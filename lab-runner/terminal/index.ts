// Browser terminals: gateway (WebSocket upgrades), sessions, wire protocol and tickets.
export { createTerminalGateway, type TerminalGateway, type TerminalGatewayOptions, type TerminalGatewayStats, type TerminalLabs } from './terminal-gateway.ts';
export { TERMINAL_PATH, CloseCode } from '../wire/terminal-protocol.ts';
export { issueTicket, verifyTicket, TICKET_TTL_MS, type TicketClaims } from './ticket.ts';
