// The editor's "when the lab is ready": work runs at once with a ready lab, else waits and runs in order once
// there is one; the latest keyed work replaces what waited under that key; work left when the lab goes waits on.
import { describe, expect, it } from 'vitest';
import { ReadyQueue } from '../../../../app/_components/editor/ready-queue.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ReadyQueue', () => {
  it('runs work at once (synchronously) when the lab is ready', async () => {
    const q = new ReadyQueue<string>();
    q.set('lab-a');
    const seen: string[] = [];
    const done = q.whenReady((lab) => seen.push(lab));
    expect(seen).toEqual(['lab-a']);
    await done;
  });

  it('holds work until the lab is ready, then runs it in order, one piece at a time', async () => {
    const q = new ReadyQueue<string>();
    const log: string[] = [];
    let release!: () => void;
    const first = q.whenReady(async (lab) => {
      log.push(`open ${lab}`);
      await new Promise<void>((r) => (release = r));
      log.push('opened');
    });
    const second = q.whenReady(() => log.push('show restored'));
    await tick();
    expect(log).toEqual([]);
    expect(q.size).toBe(2);
    q.set('lab-a');
    await tick();
    expect(log).toEqual(['open lab-a']); // the second waits for the first to finish
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['open lab-a', 'opened', 'show restored']);
    expect(q.size).toBe(0);
  });

  it('keyed work replaces waiting work with the same key (the latest Apply wins)', async () => {
    const q = new ReadyQueue<string>();
    const applied: string[] = [];
    const older = q.whenReady(() => applied.push('first'), { key: 'apply' });
    const other = q.whenReady(() => applied.push('open file'));
    const newer = q.whenReady(() => applied.push('second'), { key: 'apply' });
    await older; // resolved without running
    expect(applied).toEqual([]);
    q.set('lab-a');
    await Promise.all([other, newer]);
    expect(applied).toEqual(['open file', 'second']);
  });

  it('work left when the lab goes waits for the next lab', async () => {
    const q = new ReadyQueue<string>();
    const ran: string[] = [];
    q.set('lab-a');
    let release!: () => void;
    void q.whenReady(() => new Promise<void>((r) => (release = r)));
    const waiting = q.whenReady((lab) => ran.push(lab));
    q.set(undefined); // the lab went (reset, stop) while the first piece ran
    release();
    await tick();
    expect(ran).toEqual([]);
    expect(q.size).toBe(1);
    q.set('lab-b');
    await waiting;
    expect(ran).toEqual(['lab-b']);
  });

  it('a failing piece rejects its own promise and does not stop the rest', async () => {
    const q = new ReadyQueue<string>();
    const failing = q.whenReady(() => {
      throw new Error('file-not-found');
    });
    const next = q.whenReady(() => 'ok');
    q.set('lab-a');
    await expect(failing).rejects.toThrow('file-not-found');
    await expect(next).resolves.toBeUndefined();
  });
});
