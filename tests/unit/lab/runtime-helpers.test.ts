import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { isConnectionError, statusCodeOf } from '../../../lab-runner/docker/docker-call.ts';
import { dockerTarget } from '../../../lab-runner/docker/docker-client.ts';
import { DockerCallError } from '../../../lab-runner/errors.ts';
import { isLocalDockerHost, memAvailableFromMeminfo } from '../../../lab-runner/lab/host-memory.ts';
import { LAB_ID_PATTERN, newLabId } from '../../../lab-runner/lab/lab-id.ts';
import { ownerIsDead } from '../../../lab-runner/lab/reaper.ts';

describe('docker error classification', () => {
  it('tells "engine unreachable" from "engine said no"', () => {
    expect(isConnectionError(Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2375'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('(HTTP code 404) no such container'), { statusCode: 404 }))).toBe(false);
    const wrapped = new DockerCallError('container stop', { container: 'abc' }, Object.assign(new Error('not modified'), { statusCode: 304 }));
    expect(statusCodeOf(wrapped)).toBe(304);
    expect(wrapped.message).toBe('Docker container stop failed (container=abc): not modified');
  });

  it('describes the engine address like the Docker CLI would use it', () => {
    expect(dockerTarget({})).toBe('unix:///var/run/docker.sock');
    expect(dockerTarget({ DOCKER_HOST: 'ssh://me@lab-host' })).toBe('ssh://me@lab-host');
    expect(isLocalDockerHost({})).toBe(true);
    expect(isLocalDockerHost({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toBe(true);
    expect(isLocalDockerHost({ DOCKER_HOST: 'tcp://10.0.0.5:2376' })).toBe(false);
  });
});

describe('host memory', () => {
  it('reads MemAvailable from /proc/meminfo', () => {
    expect(memAvailableFromMeminfo('MemTotal:       24684000 kB\nMemFree:  100 kB\nMemAvailable:   23000000 kB\n')).toBe(23_000_000 * 1024);
    expect(memAvailableFromMeminfo('MemTotal: 1 kB\n')).toBeUndefined();
  });
});

describe('lab ids and owners', () => {
  it('lab ids are short, DNS-safe and distinct', () => {
    const ids = new Set(Array.from({ length: 1000 }, newLabId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(LAB_ID_PATTERN);
  });

  it('an owner is dead only when it is a process on this host that no longer exists', () => {
    expect(ownerIsDead(`${os.hostname()}:${process.pid}`)).toBe(false);
    expect(ownerIsDead(`${os.hostname()}:${process.ppid}`)).toBe(false);
    expect(ownerIsDead(`${os.hostname()}:4194303`)).toBe(true);
    expect(ownerIsDead(`some-other-host:4194303`)).toBe(false);
  });
});

describe('owner with an instance suffix', () => {
  it('parses host:pid:instance', () => {
    expect(ownerIsDead(`${os.hostname()}:4194303:a1b2c3`)).toBe(true);
    expect(ownerIsDead(`${os.hostname()}:${process.pid}:a1b2c3`)).toBe(false);
    expect(ownerIsDead('garbage')).toBe(false);
  });
});

describe('owner instance suffix made only of digits', () => {
  it('is not mistaken for the pid', () => {
    expect(ownerIsDead(`${os.hostname()}:4194303:123456`)).toBe(true);
    expect(ownerIsDead(`${os.hostname()}:${process.pid}:123456`)).toBe(false);
  });
});
