// Whether this machine can run the stock-kernel VM (tests/stock-host/vm.ts): qemu-system-x86_64 (and a usable
// /dev/kvm when PACKETWALK_STOCK_HOST_ACCEL=kvm asks for it), debootstrap and mkfs.ext4, and root (debootstrap
// and the 9p passthrough shares need it). Returns why not, or undefined.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { commandExists } from '../../lab-runner/images/run-command.ts';

export async function stockHostUnavailable(): Promise<string | undefined> {
  if (process.env.PACKETWALK_STOCK_HOST === 'skip') return 'PACKETWALK_STOCK_HOST=skip (this host is itself a stock host: its own run covers it)';
  if (process.getuid?.() !== 0) return 'not root (debootstrap and the 9p shares need it)';
  if (process.env.PACKETWALK_STOCK_HOST_ACCEL === 'kvm') {
    try {
      await access('/dev/kvm', constants.R_OK | constants.W_OK);
    } catch {
      return 'PACKETWALK_STOCK_HOST_ACCEL=kvm but /dev/kvm is not usable (hardware virtualisation is off or not passed to this machine)';
    }
  }
  for (const cmd of ['qemu-system-x86_64', 'debootstrap', 'mkfs.ext4']) {
    if (!(await commandExists(cmd))) return `${cmd} is not installed (.ci/run installs qemu-system-x86, debootstrap and e2fsprogs)`;
  }
  return undefined;
}
