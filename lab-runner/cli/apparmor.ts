// npm run apparmor: loads (or reloads) the packetwalk-node AppArmor profile into this host's kernel, once per boot
// unless the file is also copied to /etc/apparmor.d (--persist). Needs root and apparmor_parser (package "apparmor").
// --check only compiles the profile (no kernel needed): what the unit test and CI run everywhere.
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { APPARMOR_PROFILE_FILE, APPARMOR_PROFILE_NAME } from '../isolation/apparmor-profile.ts';

const { values } = parseArgs({
  options: { check: { type: 'boolean', default: false }, persist: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
});
if (values.help) {
  console.log(`Usage: sudo npm run apparmor [-- --persist]   load the ${APPARMOR_PROFILE_NAME} profile (--persist: also copy it to /etc/apparmor.d so it loads at boot)
       npm run apparmor -- --check                 compile it without loading (syntax check)`);
  process.exit(0);
}
const args = values.check ? ['--skip-kernel-load', '--skip-cache', APPARMOR_PROFILE_FILE] : ['--replace', '--write-cache', APPARMOR_PROFILE_FILE];
const r = spawnSync('apparmor_parser', args, { stdio: ['ignore', 'ignore', 'inherit'] });
if (r.error) {
  console.error(`apparmor_parser is not installed (${(r.error as NodeJS.ErrnoException).code}): apt-get install apparmor`);
  process.exit(2);
}
if (r.status !== 0) process.exit(r.status ?? 1);
if (values.persist && !values.check) copyFileSync(APPARMOR_PROFILE_FILE, `/etc/apparmor.d/${APPARMOR_PROFILE_NAME}`);
console.log(
  values.check
    ? `${APPARMOR_PROFILE_NAME}: profile compiles`
    : `${APPARMOR_PROFILE_NAME}: loaded${values.persist ? ' and installed in /etc/apparmor.d' : ''}; labs now start under it (LAB_ISOLATION=auto or apparmor)`,
);
