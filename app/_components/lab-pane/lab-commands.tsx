'use client';
// The seam between lesson prose and the lab: a <Run> in the prose asks the lab to type a command into a
// target's terminal. The terminal/lab code provides a value with <LabCommandsProvider>; without one
// (no lab started, or labs unavailable) useLabCommands() returns undefined and <Run> offers copy only.
import { createContext, useContext } from 'react';

export interface LabCommands {
  /** Whether `target` has a terminal that can take a command right now. */
  canRun(target: string): boolean;
  /** Type `command` into the terminal of `target` (interrupt: send Ctrl-C first) and focus its tab. */
  run(target: string, command: string, options?: { interrupt?: boolean }): void;
}

const LabCommandsContext = createContext<LabCommands | undefined>(undefined);

export const LabCommandsProvider = LabCommandsContext.Provider;

export function useLabCommands(): LabCommands | undefined {
  return useContext(LabCommandsContext);
}
