// Runs a host command, streaming its output lines to a callback; rejects with the tail of the output on failure.
import { spawn } from 'node:child_process';

export function runCommand(cmd: string, args: string[], onLine?: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 30) tail.shift();
        onLine?.(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (err) => reject(new Error(`${cmd} could not be started: ${err.message}`)));
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')}… exited with ${code}:\n${tail.join('\n')}`));
    });
  });
}

export async function commandExists(cmd: string): Promise<boolean> {
  try {
    await runCommand('sh', ['-c', `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
}
