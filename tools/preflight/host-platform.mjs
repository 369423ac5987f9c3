// Where packetwalk runs, as far as the advice is concerned: Linux, macOS, WSL2 (Linux inside Windows) or native Windows.
import fs from 'node:fs';

/** @returns {'linux' | 'macos' | 'wsl' | 'windows'} */
export function hostPlatform(platform = process.platform, osrelease = readOsRelease()) {
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  return /microsoft|wsl/i.test(osrelease) ? 'wsl' : 'linux';
}

function readOsRelease() {
  try {
    return fs.readFileSync('/proc/sys/kernel/osrelease', 'utf8');
  } catch {
    return '';
  }
}

/** The distribution family, for install commands: /etc/os-release ID and ID_LIKE. */
export function linuxFamily(text = readText('/etc/os-release')) {
  const ids = [/^ID=(.*)$/m.exec(text)?.[1], /^ID_LIKE=(.*)$/m.exec(text)?.[1]].join(' ').replace(/"/g, '');
  if (/debian|ubuntu/.test(ids)) return 'debian';
  if (/fedora|rhel|centos/.test(ids)) return 'fedora';
  if (/arch/.test(ids)) return 'arch';
  if (/suse/.test(ids)) return 'suse';
  return 'other';
}

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The first directory on PATH holding an executable `name`, or undefined. */
export function findOnPath(name, env = process.env, extraDirs = []) {
  const dirs = [...(env.PATH ?? '').split(':').filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const full = `${dir}/${name}`;
    try {
      fs.accessSync(full, fs.constants.X_OK);
      if (fs.statSync(full).isFile()) return full;
    } catch {
      // not here
    }
  }
  return undefined;
}
