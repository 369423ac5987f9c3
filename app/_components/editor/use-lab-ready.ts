'use client';
// "When the lab is ready": one ReadyQueue per editor, told whenever the lab changes. Opening a file, applying a
// manifest or restoring the document in front ask it, instead of each keeping its own list of what waits.
import { useEffect, useState } from 'react';
import { ReadyQueue } from './ready-queue.ts';

export function useLabReady(labId: string | undefined): ReadyQueue<string> {
  const [queue] = useState(() => new ReadyQueue<string>());
  useEffect(() => queue.set(labId), [queue, labId]);
  // Work for a lesson page the learner left is dropped with its editor.
  useEffect(() => () => queue.clear(), [queue]);
  return queue;
}
