// Wires the engine together once per process: config -> runtime -> store -> labs (+ terminals, grader).
// server.ts creates one Platform and publishes it through lib/platform-handle.ts for route handlers.
// Each capability adds its member here; keep construction cheap and start background work in start().
import type { Config } from '../lib/config.ts';
import type { LabManager } from './lab/lab-manager.ts';
import type { TerminalGateway } from './terminal/terminal-gateway.ts';
import type { Grader } from './grader/grader.ts';

export interface Platform {
  config: Config;
  labs: LabManager;
  /** Browser terminals: tickets, WebSocket upgrades on /api/terminal, sessions (build with createTerminals in terminal/create-terminals.ts). */
  terminals: TerminalGateway;
  /** Challenges: setup, continuous grading, hints/solutions, progress (build with createGrader in grader/create-grader.ts). */
  grader: Grader;
  /** Start background work (reaper, warm pool, grader loops). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function createPlatform(_config: Config): Promise<Platform> {
  throw new Error('createPlatform: not wired yet (lab-runner in progress)');
}
