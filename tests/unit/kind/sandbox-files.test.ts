// sandboxes/<name>/files/ → /opt/packetwalk/ on the jumpbox: what the template loader lists and refuses.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateKindTemplate } from '../../../course/sandbox/kind/kind-sandbox-schema.ts';
import { DEFAULT_NODE_IMAGE } from '../../../course/sandbox/kind/node-images.ts';
import { jumpboxPathOf, listSandboxFiles, MAX_SANDBOX_FILE_BYTES } from '../../../course/sandbox/kind/sandbox-files.ts';

const dirs: string[] = [];
function sandboxDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'pw-sbfiles-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('sandbox files', () => {
  it('a template without files/ ships nothing', () => {
    expect(listSandboxFiles(sandboxDir())).toEqual([]);
  });

  it('lists files recursively, sorted, with their sizes and POSIX relative paths', () => {
    const d = sandboxDir();
    mkdirSync(path.join(d, 'files/manifests/crds'), { recursive: true });
    writeFileSync(path.join(d, 'files/manifests/gateway-api-v1.4.0-standard-install.yaml'), 'kind: CustomResourceDefinition\n');
    writeFileSync(path.join(d, 'files/manifests/crds/a.yaml'), 'x');
    writeFileSync(path.join(d, 'files/notes.txt'), 'hello');
    expect(listSandboxFiles(d)).toEqual([
      { relativePath: 'manifests/crds/a.yaml', bytes: 1 },
      { relativePath: 'manifests/gateway-api-v1.4.0-standard-install.yaml', bytes: 31 },
      { relativePath: 'notes.txt', bytes: 5 },
    ]);
  });

  it('maps a relative path under /opt/packetwalk on the jumpbox', () => {
    expect(jumpboxPathOf('manifests/gateway-api-v1.4.0-standard-install.yaml')).toBe('/opt/packetwalk/manifests/gateway-api-v1.4.0-standard-install.yaml');
  });

  it('refuses symlinks (they could point outside the template), with the path and the fix', () => {
    const d = sandboxDir();
    mkdirSync(path.join(d, 'files'));
    symlinkSync('/etc/passwd', path.join(d, 'files/passwd'));
    expect(() => listSandboxFiles(d)).toThrow(/files\/passwd is a symlink; put the file itself there/);
  });

  it('refuses names that are not plain and files over the size limit', () => {
    const odd = sandboxDir();
    mkdirSync(path.join(odd, 'files'));
    writeFileSync(path.join(odd, 'files/$(reboot).yaml'), 'x');
    expect(() => listSandboxFiles(odd)).toThrow(/may only use letters, digits/);
    const hidden = sandboxDir();
    mkdirSync(path.join(hidden, 'files'));
    writeFileSync(path.join(hidden, 'files/.env'), 'x');
    expect(() => listSandboxFiles(hidden)).toThrow(/not start with a dot/);
    const big = sandboxDir();
    mkdirSync(path.join(big, 'files'));
    writeFileSync(path.join(big, 'files/big.yaml'), Buffer.alloc(MAX_SANDBOX_FILE_BYTES + 1));
    expect(() => listSandboxFiles(big)).toThrow(/big\.yaml is 16777217 bytes; files for the jumpbox are limited to 16777216 bytes each/);
  });

  it('a template with a bad files/ folder does not load, and says which template', () => {
    const d = sandboxDir();
    mkdirSync(path.join(d, 'files'));
    symlinkSync('/', path.join(d, 'files/root'));
    const raw = { name: 'kind-x', title: 'x', runtime: 'kind', nodeImage: DEFAULT_NODE_IMAGE, targets: [{ name: 'jumpbox', kind: 'jumpbox' }] };
    const kindYaml = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n';
    expect(() => validateKindTemplate(raw, kindYaml, path.join(d, 'sandbox.yaml'))).toThrow(
      new RegExp(`${path.join(d, 'sandbox.yaml')}: .*files/root is a symlink`),
    );
    rmSync(path.join(d, 'files/root'));
    writeFileSync(path.join(d, 'files/ok.yaml'), 'a: 1\n');
    expect(validateKindTemplate(raw, kindYaml, path.join(d, 'sandbox.yaml')).files).toEqual([{ relativePath: 'ok.yaml', bytes: 5 }]);
  });
});
