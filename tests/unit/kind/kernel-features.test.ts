// Kernel features some lessons need: module states read from the kernel's own lists, and the lessons named exist.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNEL_FEATURES, moduleStates } from '../../../lab-runner/kind/kernel-features.ts';

const content = path.join(import.meta.dirname, '../../../content');
const strip = (dir: string) => dir.replace(/^\d+-/, '');

function lessonDir(id: string): string | undefined {
  const [mod, lesson] = id.split('/');
  const m = readdirSync(content).find((d) => strip(d) === mod);
  const l = m && readdirSync(path.join(content, m)).find((d) => strip(d) === lesson);
  return m && l ? path.join(content, m, l) : undefined;
}

describe('kernel features', () => {
  it('tells loaded, built-in, loadable and missing modules apart', () => {
    const states = moduleStates(['xt_recent', 'nfnetlink_queue', 'nft_queue', 'nf_tables'], {
      procModules: 'xt_recent 24576 2 - Live 0x0000000000000000\nnf_tables 376832 100 nft_chain_nat, Live 0x0\n',
      builtin: 'kernel/net/netfilter/nfnetlink.ko\nkernel/net/netfilter/nfnetlink_queue.ko\n',
      dep: 'kernel/net/netfilter/nft_queue.ko.zst: kernel/net/netfilter/nf_tables.ko.zst\nkernel/net/netfilter/xt_recent.ko.zst: kernel/net/netfilter/x_tables.ko.zst\n',
    });
    expect(states).toEqual({ xt_recent: 'loaded', nfnetlink_queue: 'builtin', nft_queue: 'loadable', nf_tables: 'loaded' });
    expect(moduleStates(['xt_recent'], { builtin: '', dep: '' })).toEqual({ xt_recent: 'missing' });
    expect(moduleStates(['xt_recent'], {})).toBeUndefined();
  });

  it.each(KERNEL_FEATURES.flatMap((f) => f.lessons.map((l) => [f.title, l] as const)))('%s: lesson %s exists and runs on kind', (_title, lesson) => {
    const dir = lessonDir(lesson);
    expect(dir, `no lesson directory for ${lesson}`).toBeDefined();
    expect(readFileSync(path.join(dir!, 'index.mdx'), 'utf8')).toMatch(/sandbox:\s*kind-/);
  });
});
