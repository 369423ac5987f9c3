// The local cache of pinned artefacts (artefact-manifest.ts): DATA_DIR/artefacts/<fileName>, verified on every use.
//   const store = new ArtefactStore({ dir: path.join(config.DATA_DIR, 'artefacts') });
//   const { path, action } = await store.ensure('gateway-api-standard', { onProgress: console.log });
// A cache hit is re-hashed (a few MB at most), so a truncated or edited file is never handed to a lab: it is
// downloaded again, or refused when offline.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ArtefactChecksumError, ArtefactMissingError, LabRunnerError } from '../errors.ts';
import { ARTEFACTS, type Artefact } from '../../course/artefacts/artefact-manifest.ts';

export type ArtefactProgress = (line: string) => void;

/** Where pinned artefacts are cached: DATA_DIR/artefacts (filled on first use, or ahead by `npm run images -- --pull`). */
export function artefactsDir(dataDir: string): string {
  return path.join(dataDir, 'artefacts');
}

export interface EnsuredArtefact {
  artefact: Artefact;
  /** Absolute path of the verified file in the cache. */
  path: string;
  sha256: string;
  action: 'cached' | 'downloaded';
}

export interface ArtefactStoreOptions {
  /** DATA_DIR/artefacts. */
  dir: string;
  artefacts?: readonly Artefact[];
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** Give up on a download that sends nothing for this long. */
  idleTimeoutMs?: number;
}

/** What the setup runner needs: the verified bytes of one artefact, fetched if necessary. */
export interface ArtefactSource {
  read(name: string, onProgress?: ArtefactProgress): Promise<{ artefact: Artefact; content: Buffer }>;
}

const MIB = 1024 * 1024;

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export class ArtefactStore implements ArtefactSource {
  readonly dir: string;
  readonly #artefacts: readonly Artefact[];
  readonly #fetch: typeof fetch;
  readonly #idleTimeoutMs: number;
  /** One download per artefact at a time: two labs starting the same lesson share it. */
  readonly #inFlight = new Map<string, Promise<EnsuredArtefact>>();

  constructor(o: ArtefactStoreOptions) {
    this.dir = o.dir;
    this.#artefacts = o.artefacts ?? ARTEFACTS;
    this.#fetch = o.fetchImpl ?? fetch;
    this.#idleTimeoutMs = o.idleTimeoutMs ?? 30_000;
  }

  list(): readonly Artefact[] {
    return this.#artefacts;
  }

  get(name: string): Artefact {
    const a = this.#artefacts.find((x) => x.name === name);
    if (!a) throw new LabRunnerError('artefact-unknown', `No artefact named "${name}" (known: ${this.#artefacts.map((x) => x.name).join(', ')}).`);
    return a;
  }

  filePath(a: Artefact): string {
    return path.join(this.dir, a.fileName);
  }

  #digestFile(a: Artefact): string {
    return path.join(this.dir, `${a.fileName}.sha256`);
  }

  /** The digest a file must have: the pin, or the one recorded on first use (undefined before the first fetch). */
  async #expectedDigest(a: Artefact): Promise<string | undefined> {
    if (a.trust === 'pinned') return a.sha256;
    const recorded = await readIfExists(this.#digestFile(a));
    return recorded?.toString('utf8').trim().split(/\s+/)[0] || undefined;
  }

  async read(name: string, onProgress?: ArtefactProgress): Promise<{ artefact: Artefact; content: Buffer }> {
    const ensured = await this.ensure(name, { onProgress });
    const content = await readFile(ensured.path);
    // The file could have changed between ensure() and now; hand out only bytes that match.
    if (sha256(content) !== ensured.sha256) throw new ArtefactChecksumError(name, ensured.sha256, sha256(content), ensured.path);
    return { artefact: ensured.artefact, content };
  }

  async ensure(name: string, opts: { onProgress?: ArtefactProgress } = {}): Promise<EnsuredArtefact> {
    const running = this.#inFlight.get(name);
    if (running) return running;
    const p = this.#ensure(this.get(name), opts.onProgress ?? (() => {})).finally(() => this.#inFlight.delete(name));
    this.#inFlight.set(name, p);
    return p;
  }

  async #ensure(a: Artefact, say: ArtefactProgress): Promise<EnsuredArtefact> {
    const file = this.filePath(a);
    const expected = await this.#expectedDigest(a);
    const cached = await readIfExists(file);
    if (cached) {
      const digest = sha256(cached);
      if (expected === undefined || digest === expected) {
        // A cached file without a recorded digest (copied in by hand) is adopted on first use, like a download.
        if (expected === undefined) await this.#recordDigest(a, digest);
        return { artefact: a, path: file, sha256: digest, action: 'cached' };
      }
      say(`${a.name} ${a.version}: cached file does not match sha256 ${expected.slice(0, 12)}…, downloading it again`);
    }
    const digest = await this.#download(a, expected, say);
    return { artefact: a, path: file, sha256: digest, action: 'downloaded' };
  }

  async #recordDigest(a: Artefact, digest: string): Promise<void> {
    if (a.trust !== 'first-use') return;
    await writeFile(this.#digestFile(a), `${digest}  ${a.fileName}\n`);
  }

  async #download(a: Artefact, expected: string | undefined, say: ArtefactProgress): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.filePath(a)}.part-${process.pid}-${Date.now()}`;
    const controller = new AbortController();
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(new Error(`no data for ${Math.round(this.#idleTimeoutMs / 1000)} s`)), this.#idleTimeoutMs);
    };
    say(`${a.name} ${a.version}: downloading ${a.url}`);
    arm();
    try {
      let res: Response;
      try {
        res = await this.#fetch(a.url, { signal: controller.signal, redirect: 'follow' });
      } catch (err) {
        throw new ArtefactMissingError(
          a.name,
          `${a.url}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`,
          err,
        );
      }
      if (!res.ok || !res.body) throw new ArtefactMissingError(a.name, `${a.url} answered HTTP ${res.status}`);
      const total = Number(res.headers.get('content-length')) || undefined;
      if (total !== undefined && total > a.maxBytes) throw new ArtefactMissingError(a.name, `${a.url} is ${total} bytes, more than the ${a.maxBytes} allowed`);
      const hash = createHash('sha256');
      const out = createWriteStream(tmp, { mode: 0o644 });
      let received = 0;
      let nextReport = MIB;
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          arm();
          received += chunk.byteLength;
          if (received > a.maxBytes) throw new ArtefactMissingError(a.name, `${a.url} sent more than the ${a.maxBytes} bytes allowed`);
          hash.update(chunk);
          if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
          if (received >= nextReport) {
            say(`${a.name}: ${(received / MIB).toFixed(1)} MiB${total ? ` of ${(total / MIB).toFixed(1)} MiB` : ''}`);
            nextReport += MIB;
          }
        }
      } catch (err) {
        if (err instanceof LabRunnerError) throw err;
        throw new ArtefactMissingError(
          a.name,
          `download of ${a.url} broke off after ${received} bytes: ${err instanceof Error ? err.message : String(err)}`,
          err,
        );
      } finally {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      }
      const digest = hash.digest('hex');
      if (expected !== undefined && digest !== expected) throw new ArtefactChecksumError(a.name, expected, digest, a.url);
      await rename(tmp, this.filePath(a));
      if (expected === undefined) {
        await this.#recordDigest(a, digest);
        say(`${a.name} ${a.version}: no published checksum; recorded sha256 ${digest} on first use`);
      }
      say(`${a.name} ${a.version}: ${received} bytes, sha256 ${digest.slice(0, 12)}… verified`);
      return digest;
    } finally {
      clearTimeout(idle);
      await rm(tmp, { force: true });
    }
  }
}
