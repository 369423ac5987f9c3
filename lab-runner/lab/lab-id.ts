// Lab ids: "lab-" + 8 random lowercase letters/digits. Short enough for container names (pw-lab-k3m9x2qa-node1)
// and kind cluster names, random enough (36^8) that two labs never collide.
import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newLabId(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `lab-${s}`;
}

export const LAB_ID_PATTERN = /^lab-[a-z0-9]{8}$/;
