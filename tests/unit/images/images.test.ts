import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FALLBACK_MIRROR, debianMirror, mirrorsFromSources } from '../../../lab-runner/images/apt-mirror.ts';
import { hashDirectory } from '../../../lab-runner/images/content-hash.ts';
import { cachedRootfsTarball, readPackageList } from '../../../lab-runner/images/debootstrap-base.ts';
import { debootstrapBasePackages } from '../../../lab-runner/images/build-local-image.ts';
import { imageSource } from '../../../lab-runner/images/image-sources.ts';
import { imagesUsedBySandboxes } from '../../../lab-runner/images/ensure-images.ts';
import { SandboxCatalog } from '../../../course/sandbox/sandbox-catalog.ts';
import { DEFAULT_SANDBOXES_DIR } from '../../../course/sandbox/sandboxes-dir.ts';

const tmp: string[] = [];
const mkdir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-img-'));
  tmp.push(d);
  return d;
};
afterEach(() => {
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('apt mirror for debootstrap', () => {
  it('reads one-line and deb822 sources, skipping security and updates', () => {
    expect(
      mirrorsFromSources([
        'deb http://security.debian.org/debian-security bookworm-security main\ndeb [arch=amd64] http://mirror.example/debian/ bookworm main',
      ]),
    ).toEqual(['http://mirror.example/debian']);
    expect(
      mirrorsFromSources(['Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\n\nTypes: deb\nURIs: http://deb.debian.org/debian-security\n']),
    ).toEqual(['http://deb.debian.org/debian']);
  });

  it('falls back to deb.debian.org when nothing is configured', () => {
    const dir = mkdir();
    expect(debianMirror(dir)).toBe(FALLBACK_MIRROR);
    fs.mkdirSync(path.join(dir, 'sources.list.d'));
    fs.writeFileSync(path.join(dir, 'sources.list.d', 'debian.sources'), 'Types: deb\nURIs: http://apt.classroom.lan/debian\nSuites: bookworm\n');
    expect(debianMirror(dir)).toBe('http://apt.classroom.lan/debian');
  });
});

describe('image content hash', () => {
  it('changes with a file’s bytes, its name or its executable bit, and only then', () => {
    const dir = mkdir();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM x\n');
    fs.mkdirSync(path.join(dir, 'rootfs'));
    fs.writeFileSync(path.join(dir, 'rootfs', 'init'), '#!/bin/sh\n');
    const h1 = hashDirectory(dir);
    expect(hashDirectory(dir)).toBe(h1);
    fs.chmodSync(path.join(dir, 'rootfs', 'init'), 0o755);
    const h2 = hashDirectory(dir);
    expect(h2).not.toBe(h1);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM y\n');
    expect(hashDirectory(dir)).not.toBe(h2);
  });
});

describe('offline base', () => {
  it('caches one rootfs per package set: order and repeats do not matter, a package does', () => {
    const a = cachedRootfsTarball(['iproute2', 'curl'], '/cache');
    expect(a).toMatch(/^\/cache\/rootfs-bookworm-[0-9a-f]+\.tar$/);
    expect(cachedRootfsTarball(['curl', 'iproute2', 'curl'], '/cache')).toBe(a);
    expect(cachedRootfsTarball(['curl', 'iproute2', 'tcpdump'], '/cache')).not.toBe(a);
  });

  it("an image's base holds its packages.txt and the packages every base gets", () => {
    const dir = mkdir();
    fs.writeFileSync(path.join(dir, 'packages.txt'), '# tools\niproute2\ntcpdump # capture\n');
    expect(debootstrapBasePackages(dir)).toEqual(expect.arrayContaining(['iproute2', 'tcpdump', 'ca-certificates', 'procps']));
    expect(debootstrapBasePackages(dir)).not.toContain('# tools');
  });
});

describe('image sources', () => {
  it('packetwalk/<name> with a Dockerfile is built locally; anything else is remote', () => {
    expect(imageSource('packetwalk/node:latest')).toMatchObject({ kind: 'local', dir: expect.stringMatching(/sandboxes\/images\/node$/) });
    expect(imageSource('packetwalk/nothing-here:latest').kind).toBe('remote');
    expect(imageSource('kindest/node:v1.37.0').kind).toBe('remote');
  });

  it('the node image lists the packages the lessons need', () => {
    const source = imageSource('packetwalk/node:latest');
    if (source.kind !== 'local') throw new Error('the node image must be built from sandboxes/images/node');
    const pkgs = readPackageList(path.join(source.dir, 'packages.txt'));
    for (const p of [
      'iproute2',
      'iptables',
      'nftables',
      'bridge-utils',
      'tcpdump',
      'dnsutils',
      'dnsmasq-base',
      'curl',
      'socat',
      'conntrack',
      'ethtool',
      'iputils-ping',
      'traceroute',
      'python3',
      'tmux',
      'jq',
      'containernetworking-plugins',
      'procps',
    ]) {
      expect(pkgs, p).toContain(p);
    }
  });

  it('collects the images the node templates use', () => {
    expect(imagesUsedBySandboxes(new SandboxCatalog(DEFAULT_SANDBOXES_DIR), ['nodes'])).toEqual(['packetwalk/node:latest']);
  });
});
