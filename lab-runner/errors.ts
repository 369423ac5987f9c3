// Typed errors. Each carries enough context (ids, names) to act on, and a message a person can follow.

/**
 * Every code an engine error can carry: a closed list, so the site's table of HTTP statuses (app/api/_lib/error-status.ts)
 * must name each one and a new code without a status fails typecheck. The code says whose problem it is; the engine
 * never picks an HTTP status itself.
 */
export const ENGINE_ERROR_CODES = [
  // Docker and images
  'docker-unavailable',
  'docker-call-failed',
  'docker-timeout',
  'image-missing',
  'image-failed',
  'images-offline',
  'name-conflict',
  'log-timeout',
  'log-ended',
  'storage-opt-unsupported',
  'isolation-required',
  'host-not-ready',
  'host-agent',
  'artefact-missing',
  'artefact-checksum',
  'artefact-unknown',
  // Capacity: the server's (asking again later may help) or the asker's own limit (theirs to fix: close a lab)
  'capacity',
  'learner-limit',
  'client-limit',
  // Labs
  'bad-request',
  'sandbox-invalid',
  'lab-not-found',
  'lab-state',
  'lab-destroyed',
  'unsupported',
  'unknown-target',
  'target-down',
  'provision-failed',
  'teardown-failed',
  'poll-timeout',
  // Network views (map, captures)
  'capture-not-found',
  // Accounts and classes (classroom/)
  'unauthenticated',
  'bad-credentials',
  'class-forbidden',
  'class-not-found',
  'enroll-closed',
  'class-full',
  'account-conflict',
  'rate-limited',
  'auth-mode',
  'class-invalid',
  // Files and manifests (the editor)
  'path-invalid',
  'path-not-allowed',
  'permission-denied',
  'file-not-found',
  'directory-missing',
  'file-gone',
  'not-a-file',
  'file-too-large',
  'file-binary',
  'file-conflict',
  'file-op-failed',
  'no-cluster',
  'manifest-invalid',
  // Challenges (the grader)
  'lesson-not-found',
  'task-not-found',
  'lab-mismatch',
  'setup-failed',
  'setup-other-lesson',
] as const;

export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export class LabRunnerError extends Error {
  override name = 'LabRunnerError';
  /** Stable machine-readable code, e.g. for HTTP mapping. */
  readonly code: EngineErrorCode;
  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export class DockerUnavailableError extends LabRunnerError {
  override name = 'DockerUnavailableError';
  constructor(target: string, cause?: unknown) {
    super(
      'docker-unavailable',
      `Cannot reach the Docker engine at ${target}. Start it (e.g. "sudo systemctl start docker" or "sudo dockerd &") ` +
        `or point DOCKER_HOST at a running engine (unix:///var/run/docker.sock, tcp://host:2376 with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH, or ssh://user@host).`,
      { cause },
    );
  }
}

export class DockerCallError extends LabRunnerError {
  override name = 'DockerCallError';
  readonly statusCode?: number;
  constructor(action: string, ids: Record<string, string | undefined>, cause: unknown) {
    const idText = Object.entries(ids)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('docker-call-failed', `Docker ${action} failed (${idText}): ${reason}`, { cause });
    this.statusCode = (cause as { statusCode?: number } | undefined)?.statusCode;
  }
}

export class ImageMissingError extends LabRunnerError {
  override name = 'ImageMissingError';
  constructor(image: string) {
    super('image-missing', `Image ${image} is not on the Docker host. Build it with "npm run images" (it needs no registry).`);
  }
}

/** Whose limit was hit: the learner's or the client's own (theirs to fix: 429), or the whole server's (503). */
export type CapacityScope = 'learner' | 'client' | 'server';

const CAPACITY_CODE = { server: 'capacity', learner: 'learner-limit', client: 'client-limit' } as const satisfies Record<CapacityScope, EngineErrorCode>;

/** The scope is in the code too (capacity, learner-limit, client-limit): callers tell them apart without reading the message. */
export class CapacityError extends LabRunnerError {
  override name = 'CapacityError';
  readonly scope: CapacityScope;
  /** When asking again may succeed (HTTP Retry-After). */
  readonly retryAfterSeconds?: number;
  /** Without a scope, the server's (subnets, memory). */
  constructor(message: string, scope: CapacityScope = 'server', retryAfterSeconds?: number) {
    super(CAPACITY_CODE[scope], message);
    this.scope = scope;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class LabNotFoundError extends LabRunnerError {
  override name = 'LabNotFoundError';
  constructor(labId: string) {
    super('lab-not-found', `No lab with id ${labId}. It may have expired or been destroyed; start a new one.`);
  }
}

export class LabStateError extends LabRunnerError {
  override name = 'LabStateError';
  constructor(labId: string, state: string, wanted: string) {
    super('lab-state', `Lab ${labId} is ${state}; this needs it to be ${wanted}.`);
  }
}

export class ProvisionError extends LabRunnerError {
  override name = 'ProvisionError';
  readonly step: string;
  readonly outputTail?: string;
  constructor(step: string, message: string, outputTail?: string, cause?: unknown) {
    super('provision-failed', `Provisioning failed at step "${step}": ${message}${outputTail ? `\n--- last output ---\n${outputTail}` : ''}`, { cause });
    this.step = step;
    this.outputTail = outputTail;
  }
}

/** A pinned third-party file (CRDs, a CNI manifest) is not in DATA_DIR/artefacts and cannot be downloaded now. */
export class ArtefactMissingError extends LabRunnerError {
  override name = 'ArtefactMissingError';
  readonly artefact: string;
  constructor(artefact: string, detail: string, cause?: unknown) {
    super(
      'artefact-missing',
      `Artefact ${artefact} is not cached and could not be downloaded (${detail}). ` +
        `On a machine with internet access run "npm run images -- --pull": it fetches every artefact into DATA_DIR/artefacts, ` +
        `which you can then copy to this host.`,
      { cause },
    );
    this.artefact = artefact;
  }
}

/** A downloaded (or cached) artefact does not have the digest it is pinned to: refused, never used. */
export class ArtefactChecksumError extends LabRunnerError {
  override name = 'ArtefactChecksumError';
  readonly artefact: string;
  constructor(artefact: string, expected: string, actual: string, source: string) {
    super(
      'artefact-checksum',
      `Artefact ${artefact} from ${source} has sha256 ${actual}, but it is pinned to ${expected}. It was refused. ` +
        `If upstream really re-published the file, check the new one and update the pin (course/artefacts/artefact-manifest.ts, ` +
        `or delete DATA_DIR/artefacts/<file>.sha256 for a digest recorded on first use).`,
    );
    this.artefact = artefact;
  }
}

/** The site serves more than one person and the engine gives lab nodes no confinement (LAB_ISOLATION, docs/architecture/isolation.md). */
export class IsolationRequiredError extends LabRunnerError {
  override name = 'IsolationRequiredError';
  constructor(message: string) {
    super('isolation-required', message);
  }
}

/** The engine's storage driver cannot enforce a per-container size (e.g. overlay2 on ext4): LAB_DISK_LIMIT is not applied there. */
export class StorageOptUnsupportedError extends LabRunnerError {
  override name = 'StorageOptUnsupportedError';
  constructor(engineMessage: string, cause?: unknown) {
    super('storage-opt-unsupported', `This Docker engine cannot cap a container's disk use: ${engineMessage}`, { cause });
  }
}

/** A Docker call outlived DOCKER_CALL_TIMEOUT: the engine or its runtime (runc) is hung on that object. */
export class DockerTimeoutError extends LabRunnerError {
  override name = 'DockerTimeoutError';
  constructor(action: string, ids: Record<string, string | undefined>, ms: number) {
    const idText = Object.entries(ids)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    super(
      'docker-timeout',
      `Docker did not answer "${action}"${idText ? ` (${idText})` : ''} within ${Math.round(ms / 1000)} s: the engine or its container runtime (runc) appears hung. ` +
        `The lab was stopped; anything the call still creates is removed by the reaper once Docker answers again (DOCKER_CALL_TIMEOUT sets the deadline).`,
    );
  }
}

/** Why a wait (lab-runner/util/poll-until.ts) stopped asking, and the last thing its probe saw. */
export interface PollGiveUp {
  what: string;
  reason: 'deadline' | 'attempts';
  attempts: number;
  elapsedMs: number;
  /** The last "not yet" answer's description, e.g. a command's output. */
  detail?: string;
  /** The last "not yet" answer's error, when the probe retried after one. */
  cause?: unknown;
}

/** A wait gave up: its deadline passed or its attempts ran out, and the thing awaited never happened. */
export class PollTimeoutError extends LabRunnerError {
  override name = 'PollTimeoutError';
  readonly outcome: PollGiveUp;
  constructor(outcome: PollGiveUp) {
    const bound = outcome.reason === 'deadline' ? `within ${Math.round(outcome.elapsedMs) / 1000} s` : `after ${outcome.attempts} attempts`;
    super('poll-timeout', `Gave up waiting for ${outcome.what} ${bound}${outcome.detail ? ` (last: ${outcome.detail})` : ''}`, { cause: outcome.cause });
    this.outcome = outcome;
  }
}
