// The packetwalk-node AppArmor profile: where its source lives and whether the local kernel has it loaded.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const APPARMOR_PROFILE_NAME = 'packetwalk-node';
export const APPARMOR_PROFILE_FILE = path.join(import.meta.dirname, 'packetwalk-node.apparmor');
const LOADED_PROFILES = '/sys/kernel/security/apparmor/profiles';

/**
 * true/false when this machine's kernel can be asked; undefined when it cannot (no securityfs access, or the engine is
 * remote and its kernel is not ours: the caller must then trust the operator's LAB_ISOLATION).
 */
export async function apparmorProfileLoaded(local: boolean, file = LOADED_PROFILES): Promise<boolean | undefined> {
  if (!local) return undefined;
  try {
    const text = await readFile(file, 'utf8');
    return text.split('\n').some((line) => line.split(' ')[0] === APPARMOR_PROFILE_NAME);
  } catch {
    return undefined;
  }
}
