// Ships a kind template's files/ (listed and checked by course/sandbox/kind/sandbox-files.ts) to the learner's jumpbox.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { jumpboxPathOf, SANDBOX_FILES_DIR, type SandboxFile } from '../../course/sandbox/kind/sandbox-files.ts';
import type { NodeExecContext, NodeRef } from './node-exec.ts';
import { runOnNode } from './node-exec.ts';

/**
 * Copies the template's files into the jumpbox (as root there; the jumpbox has no capabilities, and root owns
 * /opt). Each file is written next to its destination and renamed, so a lesson never reads half a manifest.
 */
export async function copySandboxFiles(
  ctx: NodeExecContext,
  jumpbox: NodeRef,
  sandboxDir: string,
  files: SandboxFile[],
  step: string,
): Promise<{ files: number; bytes: number }> {
  let bytes = 0;
  await Promise.all(
    files.map(async (f) => {
      const content = await readFile(path.join(sandboxDir, SANDBOX_FILES_DIR, f.relativePath));
      bytes += content.length;
      await runOnNode(
        ctx,
        jumpbox,
        step,
        ['sh', '-c', 'umask 022 && mkdir -p "$(dirname "$PW_DEST")" && cat > "$PW_DEST.new" && mv "$PW_DEST.new" "$PW_DEST"'],
        {
          stdin: content,
          user: 'root',
          env: { PW_DEST: jumpboxPathOf(f.relativePath) },
          timeoutMs: 60_000,
        },
      );
    }),
  );
  return { files: files.length, bytes };
}
