// The shape of one "npm run lab -- <command>" implementation: lab-runner/cli/commands/<name>.ts exporting `command`.
// The dispatcher finds commands by file name, so adding one is adding a file.
export interface CliCommand {
  /** One line for "npm run lab -- help". */
  summary: string;
  /** Usage text shown on "npm run lab -- <command> --help" and on usage errors. */
  usage: string;
  /** Resolves with the process exit code. Throw UsageError for bad arguments. */
  run(args: string[]): Promise<number>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}
