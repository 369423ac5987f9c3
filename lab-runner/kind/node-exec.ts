// Commands inside node containers, the way kind runs them: every command is an exec (privileged when the node
// is), files are written with `mkdir -p DIR` then `cp /dev/stdin DEST`, and a failing command becomes a
// ProvisionError that names the step and carries the tail of the command's output.
import path from 'node:path';
import { ProvisionError } from '../errors.ts';
import type { ContainerRuntime, ExecOptions, ExecResult } from '../runtime/container-runtime.ts';

export interface NodeRef {
  id: string;
  name: string;
}

export interface NodeExecContext {
  runtime: ContainerRuntime;
  /** kind execs with --privileged; off when the nodes themselves run unprivileged (Sysbox, the test stand-in). */
  privileged: boolean;
}

/** The last lines of a command's output, for error messages. */
export function outputTail(result: Pick<ExecResult, 'stdout' | 'stderr'>, maxLines = 25): string {
  const text = [result.stdout, result.stderr].filter((s) => s.trim()).join('\n');
  return text.trimEnd().split('\n').slice(-maxLines).join('\n');
}

export async function runOnNode(ctx: NodeExecContext, node: NodeRef, step: string, cmd: string[], opts: Omit<ExecOptions, 'cmd'> = {}): Promise<ExecResult> {
  const result = await ctx.runtime.exec(node.id, { privileged: ctx.privileged, ...opts, cmd });
  if (result.exitCode !== 0 || result.timedOut) {
    const how = result.timedOut ? `timed out after ${opts.timeoutMs ?? 30_000} ms` : `exited with code ${result.exitCode}`;
    throw new ProvisionError(step, `\`${cmd.join(' ')}\` on ${node.name} ${how}`, outputTail(result));
  }
  return result;
}

export async function writeFileOnNode(ctx: NodeExecContext, node: NodeRef, step: string, dest: string, content: string | Buffer): Promise<void> {
  await runOnNode(ctx, node, step, ['mkdir', '-p', path.posix.dirname(dest)]);
  await runOnNode(ctx, node, step, ['cp', '/dev/stdin', dest], { stdin: content });
}

/** `cat FILE`, or undefined when the file does not exist (other failures still throw). */
export async function readFileOnNode(ctx: NodeExecContext, node: NodeRef, step: string, file: string, maxOutputBytes?: number): Promise<string | undefined> {
  const result = await ctx.runtime.exec(node.id, { privileged: ctx.privileged, cmd: ['cat', file], ...(maxOutputBytes ? { maxOutputBytes } : {}) });
  if (result.exitCode === 0) return result.stdout;
  if (/No such file or directory/.test(result.stderr)) return undefined;
  throw new ProvisionError(step, `\`cat ${file}\` on ${node.name} exited with code ${result.exitCode}`, outputTail(result));
}
