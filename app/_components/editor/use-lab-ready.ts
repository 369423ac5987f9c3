'use client';
// "When the lab is ready": one ReadyQueue per editor, told whenever the lab changes. Opening a file, applying a
// manifest or restoring the document in front ask it, instead of each keeping its own list of what waits.
import { useEffect, useState } from 'react';
import { ReadyQueue } from './ready-queue.ts';

export function useLabReady(labId: string | undefined): ReadyQueue<string> {
  const [queue] = useState(() => new ReadyQueue<string>());
  // No clear() on unmount: React's development double mount would drop a lesson's request made before the lab was
  // ready; an editor that is really gone takes its queue with it.
  useEffect(() => queue.set(labId), [queue, labId]);
  return queue;
}
