// The stock-kernel VM: the checks that need a user's kind of host, run here in a qemu virtual machine that boots
// Debian testing's own kernel (forky: 7.2, AppArmor 4 on, cgroup v2, sch_netem and sch_tbf as modules) with Debian's
// Docker 28.5 on the containerd image store, as Docker 29 sets up a fresh install (--suite: below). The project
// machines' kernel has none of those, and their Docker is 20.10 on overlay2; GitHub's Ubuntu runners do
// (ubuntu-hosts.yml), but only this VM runs them on every `npm test` wherever qemu is installed. What runs inside is
// tests/stock-host/guest-run.sh.
//
// Usage: node tests/stock-host/vm.ts --out=DIR [--verify=all|<lesson>] [--parts=integration,verify,browser] [--port=N]
//         [--timeout-min=N] [--guest-script=FILE] [--suite=trixie|forky] [--tcg-thread=single|multi]
// After the guest's own tests pass, it serves the site (this project's production build, through the share) on a port
// qemu forwards from 127.0.0.1, and Chromium here runs tests/e2e/impairments.spec.ts against it with
// PACKETWALK_EXPECT_NETEM: the map's impairment form on a kernel with sch_netem.
// The system is debootstrapped once (about three minutes) into ~/.cache/packetwalk/stock-host/, keyed by
// packages.txt and guest-init.sh; each run boots a fresh copy of its disk, so no Docker state outlives a run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { debianMirror } from '../../lab-runner/images/apt-mirror.ts';
import { hashText } from '../../lab-runner/images/content-hash.ts';
import { debootstrapBasePackages } from '../../lab-runner/images/build-local-image.ts';
import { cachedRootfsTarball, defaultCacheDir, readPackageList } from '../../lab-runner/images/debootstrap-base.ts';
import { imagesUsedBySandboxes } from '../../lab-runner/images/ensure-images.ts';
import { imageSource } from '../../lab-runner/images/image-sources.ts';
import { SandboxCatalog } from '../../course/sandbox/sandbox-catalog.ts';
import { DEFAULT_SANDBOXES_DIR } from '../../course/sandbox/sandboxes-dir.ts';
import { runCommand } from '../../lab-runner/images/run-command.ts';
import { stockHostUnavailable } from './availability.ts';

const here = import.meta.dirname;
const project = path.resolve(here, '..', '..');
const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    verify: { type: 'string', default: 'all' },
    // The whole VM run under TCG took about 19 min on forky with Docker 28.5 in CI (2 cores), 23 on Debian 13 with
    // Docker 26: an exec round trip is about 2 s there, and `lab verify all` alone 6–10 min. 45 leaves room.
    'timeout-min': { type: 'string', default: '45' },
    memory: { type: 'string', default: '8G' },
    // Another script for the guest to run instead of guest-run.sh (its path on this machine, inside the project).
    'guest-script': { type: 'string' },
    // Which parts run: integration, verify, browser (comma-separated; all by default). browser: the guest serves the
    // site and this machine's Chromium runs the impairment e2e spec against it.
    parts: { type: 'string', default: 'integration,verify,browser' },
    port: { type: 'string', default: '3950' },
    // Which Debian the guest runs. Unset: forky (testing), which has what users' hosts run now (kernel 7.2, Docker 28.5
    // on containerd 2.1), falling back to trixie (stable: Docker 26.1) with a loud notice on a day testing cannot be
    // bootstrapped, since testing moves daily. Set, it is that suite or a failure.
    suite: { type: 'string', default: process.env.PACKETWALK_STOCK_HOST_SUITE },
    // tcg (qemu's own CPU emulation) works on any host; kvm is many times faster where hardware virtualisation is
    // real. On the project machines /dev/kvm exists but does not work (docs/architecture/tests.md).
    accel: { type: 'string', default: process.env.PACKETWALK_STOCK_HOST_ACCEL ?? 'tcg' },
    // How qemu's TCG runs the two vCPUs; multi only to reproduce the crash that made single the default (see boot()).
    'tcg-thread': { type: 'string', default: 'single' },
  },
});
if (!values.out) throw new Error('usage: node tests/stock-host/vm.ts --out=DIR [--verify=all|<lesson>] [--timeout-min=N]');
const out = path.resolve(values.out);
const withBrowser = values.parts!.split(',').includes('browser');

const say = (line: string) => process.stdout.write(`[stock-host] ${line}\n`);

const why = await stockHostUnavailable();
if (why) {
  say(`cannot run: ${why}`);
  process.exit(2);
}

// Not the lab images' suite (bookworm): the newest Debian, for the newest kernel, AppArmor and Docker apt offers.
// trixie: kernel 6.12, AppArmor 4.1, Docker 26.1, containerd 1.7. forky (December 2026): kernel 7.2, AppArmor 4.1,
// Docker 28.5, containerd 2.1. Ubuntu 24.04 has 6.8, AppArmor 4.0 and Docker 28/29. debootstrap 1.0.128 has no
// script named forky: testing is bootstrapped with sid's.
// forky's kernel asks for dracut first, which conflicts with initramfs-tools.
const SUITES: Record<string, { script?: string; swap?: Record<string, string> }> = {
  trixie: {},
  forky: { script: 'sid', swap: { 'initramfs-tools': 'dracut' } },
};
const DEFAULT_SUITE = 'forky';
if (values.suite !== undefined && !SUITES[values.suite]) {
  say(`--suite must be one of ${Object.keys(SUITES).join(', ')}, not ${values.suite}`);
  process.exit(2);
}
const cache = defaultCacheDir();
// The guest sees only the project and the cache (9p shares at the same paths): its reports can go nowhere else.
const inside = (dir: string, root: string) => !path.relative(root, dir).startsWith('..');
if (!inside(out, project) && !inside(out, cache)) {
  say(`--out must be inside the project (${project}) or the cache (${cache}): the guest cannot write ${out}`);
  process.exit(2);
}
const vmDir = path.join(cache, 'stock-host');
const initScript = fs.readFileSync(path.join(here, 'guest-init.sh'), 'utf8');

/** A Debian system for the guest: its suite, what debootstrap installs, and where its root and disk image are cached. */
interface StockSystem {
  suite: string;
  script?: string;
  packages: string[];
  rootfs: string;
  disk: string;
}

function stockSystem(suite: string): StockSystem {
  const { script, swap } = SUITES[suite]!;
  const packages = readPackageList(path.join(here, 'packages.txt')).map((p) => swap?.[p] ?? p);
  // The system is keyed by its packages, the disk by the system and the init it boots.
  const systemKey = hashText(suite, ...[...packages].sort());
  return {
    suite,
    script,
    packages,
    rootfs: path.join(vmDir, `rootfs-${systemKey}`),
    disk: path.join(vmDir, `disk-${hashText(systemKey, initScript)}.img`),
  };
}

/** The system asked for, or by default forky, falling back to trixie on a day testing cannot be bootstrapped. */
async function readySystem(): Promise<StockSystem> {
  const system = stockSystem(values.suite ?? DEFAULT_SUITE);
  if (fs.existsSync(system.disk)) return system;
  try {
    await buildDisk(system);
    return system;
  } catch (err) {
    if (values.suite !== undefined) throw err;
    say(
      `NOTICE: Debian ${system.suite} (testing) could not be bootstrapped today, so this run uses trixie (Docker 26.1) and does not ` +
        `cover Docker 28: ${(err as Error).message.split('\n').slice(-3).join(' / ')}. --suite=${system.suite} makes this a failure.`,
    );
    const fallback = stockSystem('trixie');
    if (!fs.existsSync(fallback.disk)) await buildDisk(fallback);
    return fallback;
  }
}

fs.mkdirSync(vmDir, { recursive: true });
const system = await readySystem();

// The lab image the guest builds itself with `npm run images -- --base debootstrap --only <it>`, as a user's first
// `npm run images` does: `docker import` of the debootstrapped base this machine cached (the share) and `docker build`
// on the containerd image store, no network needed. Only the smallest one: under TCG building both took 7 min (jumpbox
// 125 s, node 292 s) where loading them takes under 2, and one build exercises every step. The other images are
// loaded from this machine; with no cached base (it came from a registry), all of them are.
const localImages = imagesUsedBySandboxes(new SandboxCatalog(DEFAULT_SANDBOXES_DIR)).flatMap((ref) => {
  const src = imageSource(ref);
  return src.kind === 'local' ? [{ ref, rootfs: cachedRootfsTarball(debootstrapBasePackages(src.dir), cache) }] : [];
});
const guestBuilds = localImages
  .filter((i) => fs.existsSync(i.rootfs))
  .map((i) => ({ ref: i.ref, bytes: fs.statSync(i.rootfs).size }))
  .sort((x, y) => x.bytes - y.bytes)[0]?.ref;

// Per run: a sparse copy of the disk (Docker's data root starts empty) and the host's lab images to load.
const runDisk = path.join(vmDir, `run-${process.pid}.img`);
const images = path.join(vmDir, `images-${process.pid}.tar`);
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
let code = 1;
let kindCli: string | undefined;
try {
  await runCommand('cp', ['--sparse=always', system.disk, runDisk]);
  if (guestBuilds) say(`the guest builds ${guestBuilds} itself (npm run images -- --base debootstrap --only ${guestBuilds})`);
  await saveLabImages(
    images,
    localImages.map((i) => i.ref).filter((ref) => ref !== guestBuilds),
  );
  kindCli = await kindCliDir();
  say(kindCli ? `kind CLI for the guest: ${kindCli}` : 'no kind CLI (.ci/kind-cli.sh found none): the guest skips the kind differential test');
  if (withBrowser && !fs.existsSync(path.join(project, '.next', 'BUILD_ID'))) {
    say('no production build for the guest to serve: npm run build');
    await runCommand('npm', ['run', 'build']);
  }
  code = await boot();
} finally {
  fs.rmSync(runDisk, { force: true });
  fs.rmSync(images, { force: true });
}
process.exit(code);

async function buildDisk(system: StockSystem): Promise<void> {
  const { rootfs, disk } = system;
  const started = performance.now();
  for (const stale of fs.readdirSync(vmDir))
    if (/^(rootfs|disk|run|images)-/.test(stale) && stale !== path.basename(rootfs)) fs.rmSync(path.join(vmDir, stale), { recursive: true, force: true });
  if (fs.existsSync(rootfs)) say(`using the debootstrapped system in ${rootfs}`);
  else await debootstrap(system);
  fs.writeFileSync(path.join(rootfs, 'sbin/pw-init'), initScript, { mode: 0o755 });
  // Docker's images and the labs' containers live on this disk: 40 GB sparse, a few hundred MB used.
  const partialDisk = `${disk}.partial`;
  await runCommand('mkfs.ext4', ['-q', '-F', '-L', 'pw-stock-host', '-d', rootfs, partialDisk, '40G']);
  fs.renameSync(partialDisk, disk);
  say(`disk ready in ${((performance.now() - started) / 1000).toFixed(0)} s: ${disk}`);
}

async function debootstrap({ suite, script, packages, rootfs }: StockSystem): Promise<void> {
  const partialRoot = `${rootfs}.partial`;
  fs.rmSync(partialRoot, { recursive: true, force: true });
  say(`debootstrap ${suite} with its kernel and Docker (${packages.length} packages), once: a few minutes`);
  let lines = 0;
  await runCommand(
    'debootstrap',
    ['--variant=minbase', `--include=${packages.join(',')}`, suite, partialRoot, debianMirror(), ...(script ? [script] : [])],
    (line) => {
      if (/^I: (Retrieving Release|Resolving|Installing core|Base system installed)/.test(line) || ++lines % 200 === 0) say(`debootstrap: ${line.trim()}`);
    },
  );
  fs.renameSync(partialRoot, rootfs);
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man']) {
    const full = path.join(rootfs, dir);
    for (const entry of fs.existsSync(full) ? fs.readdirSync(full) : [])
      if (entry !== 'partial' && entry !== 'lock') fs.rmSync(path.join(full, entry), { recursive: true, force: true });
  }
}

/** The kernel and initramfs debootstrap installed (one of each: linux-image-amd64 pulls exactly one version). */
function bootFiles(rootfs: string): { kernel: string; initrd: string; version: string } {
  const boot = path.join(rootfs, 'boot');
  const kernel = fs.readdirSync(boot).find((f) => /^vmlinuz-/.test(f));
  if (!kernel) throw new Error(`no kernel in ${boot}: remove ${vmDir} and run again`);
  const version = kernel.slice('vmlinuz-'.length);
  return { kernel: path.join(boot, kernel), initrd: path.join(boot, `initrd.img-${version}`), version };
}

/** The kind CLI of the pinned release, fetched into the cache (which the guest shares) on first use; see .ci/kind-cli.sh. */
async function kindCliDir(): Promise<string | undefined> {
  let dir = '';
  await runCommand(path.join(project, '.ci', 'kind-cli.sh'), [], (line) => {
    if (line.startsWith('/')) dir = line.trim();
    else say(line);
  }).catch((e: Error) => say(`kind CLI: ${e.message}`));
  return dir && inside(dir, cache) ? dir : undefined;
}

async function saveLabImages(file: string, refs: string[]): Promise<void> {
  if (!refs.length) return; // the guest builds the only one
  say(`saving ${refs.join(', ')} for the guest's engine`);
  await runCommand('docker', ['save', '-o', file, ...refs]);
}

function boot(): Promise<number> {
  const { kernel, initrd, version } = bootFiles(system.rootfs);
  const port = withBrowser ? Number(values.port) : undefined;
  const cmdline = [
    'root=/dev/vda rw console=ttyS0 quiet init=/sbin/pw-init apparmor=1 modprobe.blacklist=floppy',
    // A kernel panic reboots at once, and -no-reboot turns that into qemu exiting: the run fails then, with the panic
    // on the console, instead of waiting out --timeout-min.
    'panic=-1',
    `pw_project=${project} pw_cache=${cache} pw_out=${out} pw_images=${images} pw_verify=${values.verify} pw_parts=${values.parts}`,
    // Under TCG an exec costs about five times what it does on hardware (a lab starts in ~16 s instead of ~1.5 s).
    `pw_timeout_scale=${values.accel === 'kvm' ? 1 : 5}`,
    ...(port ? [`pw_serve_port=${port}`] : []),
    ...(guestBuilds ? [`pw_build_image=${guestBuilds}`] : []),
    ...(kindCli ? [`pw_kind_cli=${kindCli}`] : []),
    ...(values['guest-script'] ? [`pw_run=${path.resolve(values['guest-script'])}`] : []),
  ].join(' ');
  // With the browser test, one user-mode network device: restrict=on lets nothing out of the guest, and only the
  // site's port comes in, from this machine's loopback.
  const nic = port ? ['-nic', `user,model=virtio-net-pci,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:${port}`] : ['-nic', 'none'];
  const args = [
    // thread=single: one host thread runs both vCPUs in turn. With a thread each (multi, qemu's default here) the guest
    // kernel's live code patching raced and it panicked ("Oops: int3"); code-patching-race.sh reproduces it, and
    // docs/architecture/tests.md has the runs and what single costs.
    ...(values.accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', `tcg,thread=${values['tcg-thread']}`, '-cpu', 'max']),
    ...['-smp', '2', '-m', values.memory!, '-display', 'none', '-serial', 'stdio', '-monitor', 'none', '-no-reboot'],
    ...['-kernel', kernel, '-initrd', initrd, '-append', cmdline],
    ...['-drive', `file=${runDisk},format=raw,if=virtio,cache=unsafe`, ...nic],
    // The project and the cache (Node 24, the saved images) at the same paths as here; passthrough keeps root's files root's.
    ...['-virtfs', `local,path=${project},mount_tag=project,security_model=passthrough,id=project`],
    ...['-virtfs', `local,path=${cache},mount_tag=cache,security_model=passthrough,id=cache`],
  ];
  say(
    `booting Debian ${system.suite}'s kernel ${version} under ${values.accel === 'kvm' ? 'KVM' : `qemu TCG, thread=${values['tcg-thread']}`} (2 vCPUs, ${values.memory}): ${values.verify === 'all' ? 'every lesson' : values.verify} to verify${port ? `, then the site on ${port} for Chromium` : ''}`,
  );
  return new Promise((resolve) => {
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let e2eCode: number | undefined;
    let seen = '';
    qemu.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (!port || e2eCode !== undefined || seen === 'serving') return;
      seen = (seen + chunk.toString()).slice(-4096);
      if (!seen.includes(`=== stock-host: serving on ${port}`)) return;
      seen = 'serving';
      void untilForwarded(port)
        .then(() => runBrowserTest(port))
        .then((code) => {
          e2eCode = code;
          qemu.kill('SIGTERM');
        });
    });
    const limitMs = Number(values['timeout-min']) * 60_000;
    const timer = setTimeout(() => {
      say(`no result after ${values['timeout-min']} min: stopping the VM`);
      qemu.kill('SIGTERM');
    }, limitMs);
    qemu.once('error', (err) => {
      clearTimeout(timer);
      say(`qemu could not start: ${err.message}`);
      resolve(1);
    });
    qemu.once('close', () => {
      clearTimeout(timer);
      const statusFile = path.join(out, 'exit-status');
      if (!fs.existsSync(statusFile)) {
        say('the VM ended without writing its exit status');
        resolve(1);
        return;
      }
      const status = Number(fs.readFileSync(statusFile, 'utf8').trim());
      say(
        `guest exit status ${status}${port ? `; browser test ${e2eCode === undefined ? 'not run (the guest did not serve the site)' : `exit ${e2eCode}`}` : ''}`,
      );
      resolve(status === 0 && (!port || e2eCode === 0) ? 0 : 1);
    });
  });
}

/**
 * Waits until the site answers through qemu's forwarded port. The guest says it serves once its own loopback answers;
 * the first connections from here can still be reset while the guest's network device comes up (CI run 7: Chromium's
 * first page load got ERR_CONNECTION_RESET).
 */
async function untilForwarded(port: number): Promise<void> {
  const end = Date.now() + 180_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(20_000) });
      if (res.ok) return;
    } catch {
      // reset or refused while the guest's side comes up
    }
    if (Date.now() > end) {
      say(`the site did not answer through the forwarded port ${port} within 3 min`);
      return;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** Chromium here, the site and its labs in the VM: the map's impairment form against a kernel with sch_netem. */
function runBrowserTest(port: number): Promise<number> {
  say(`the guest serves the site: tests/e2e/impairments.spec.ts in Chromium against 127.0.0.1:${port}`);
  return new Promise((resolve) => {
    // --output: Playwright empties its output folder first; the guest's reports lie beside this one, in --out.
    const child = spawn('npx', ['playwright', 'test', 'tests/e2e/impairments.spec.ts', '--reporter=list,json', `--output=${path.join(out, 'e2e-artifacts')}`], {
      cwd: project,
      stdio: 'inherit',
      env: {
        ...process.env,
        CI: 'true',
        E2E_EXTERNAL_SERVER: '1',
        E2E_PORT: String(port),
        PACKETWALK_EXPECT_NETEM: '1',
        PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(out, 'e2e.json'),
      },
    });
    child.once('error', () => resolve(127));
    child.once('close', (code) => resolve(code ?? 1));
  });
}
