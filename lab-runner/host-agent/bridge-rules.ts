// bridge-rules.sh as the lab runner sends it: the script on stdin, the action and its arguments in argv, and the
// script's one-line-per-action output parsed back.
import { readFileSync } from 'node:fs';

export const BRIDGE_RULES_SCRIPT = readFileSync(new URL('./bridge-rules.sh', import.meta.url), 'utf8');

/** Every lab bridge name starts with this (nodes/lab-network-spec.ts); only such bridges can have host rules. */
export const LAB_BRIDGE_PREFIX = 'pw-';

export interface BridgeRule {
  /** iptables-nft or iptables-legacy: the backend holding Docker's DOCKER-USER chain. */
  backend: string;
  bridge: string;
  labId: string;
}

/**
 * The exec command: bash reads the whole script from stdin before running it (so nothing in it can eat the rest),
 * with the action and its arguments as positional parameters, never spliced into the script text.
 */
export function bridgeRulesCommand(args: string[]): string[] {
  return ['bash', '-c', '__pw_script=$(cat) && exec </dev/null && eval "unset __pw_script; $__pw_script"', 'bridge-rules', ...args];
}

/** Lines "<kind> <backend> <bridge> <lab-id>" of the script's output. */
export function parseBridgeRules(stdout: string, kind: 'removed' | 'rule'): BridgeRule[] {
  const rules: BridgeRule[] = [];
  for (const line of stdout.split('\n')) {
    const [k, backend, bridge, labId] = line.trim().split(/\s+/);
    if (k === kind && backend && bridge && labId) rules.push({ backend, bridge, labId });
  }
  return rules;
}
