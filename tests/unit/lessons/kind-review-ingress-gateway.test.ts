// Adversarial review of the Ingress and Gateway API lesson's jumpbox checks. A scripted kubectl answers jsonpath reads
// as kubectl does (missing fields print nothing; the Gateway API CRD defaults a listener's allowedRoutes to
// {namespaces: {from: Same}}), and a scripted curl answers as Traefik does (the matching backend's /hostname, or
// "404 page not found" when no router matches). Each near miss below passed the check as it was before this review.
import { describe, expect, it } from 'vitest';
import { challengeTask } from './kind-lesson-files.ts';
import { runOnFakeNode } from './fake-node.ts';

const LESSON = 'content/05-edge-and-dataplane/01-ingress-and-gateway-api';

const task = (id: string) => challengeTask(LESSON, id);

/** A tool that answers each `case` glob on "$*" with the given text (first match wins); anything else fails. */
function tool(answers: [glob: string, out: string][], otherwise = 'exit 1'): string {
  const arms = answers.map(([glob, out]) => `  ${glob}) printf '%s' '${out}' ;;`).join('\n');
  return `case "$*" in\n${arms}\n  *) ${otherwise} ;;\nesac`;
}

const traefik: [string, string][] = [
  ['*"get service traefik"*nodePort*', '31842'],
  ['*"get nodes"*InternalIP*', '172.18.0.3'],
];

describe('gateway: listener http, routes from the same namespace', () => {
  const check = task('gateway').check;
  const run = (listener: string) =>
    runOnFakeNode(check, {
      kubectl: tool([
        ['*"{.spec.gatewayClassName} {.spec.listeners[0].protocol} {.spec.listeners[0].port}"*', 'traefik HTTP 8000'],
        ['*"{.spec.listeners[0].name} {.spec.listeners[0].allowedRoutes.namespaces.from}"*', listener],
        ['*"{range .status.conditions[*]}"*', 'Accepted=True Programmed=True '],
      ]),
    });

  it('passes with the solution (from: Same), and with allowedRoutes omitted (the CRD default fills in Same)', () => {
    expect(run('http Same').status).toBe(0);
  });

  it('passes when the stored object has no allowedRoutes at all (jsonpath prints nothing for it)', () => {
    expect(run('http ').status).toBe(0);
  });

  it('rejects allowedRoutes from: All (near miss routes-from-all)', () => {
    const r = run('http All');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL: Gateway web's listener accepts routes from 'All' namespaces, not only its own");
  });

  it('rejects a listener named web instead of http (near miss listener-named-web)', () => {
    const r = run('web Same');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL: Gateway web's listener is named 'web'");
  });
});

describe('host-route: the route is for host blue.example only', () => {
  const check = task('host-route').check;
  // Traefik with route blue attached: Host blue.example reaches a blue pod either way (with or without hostnames).
  const curl = tool([['*"Host: blue.example"*/hostname', 'blue-6d5f8b7c9-x2kqz']], "printf '404 page not found'");
  const run = (hostnames: string) =>
    runOnFakeNode(check, {
      kubectl: tool([
        ['"get httproute blue"', 'NAME   HOSTNAMES   AGE'],
        ['*"get httproute blue -o jsonpath={.spec.hostnames[*]}"', hostnames],
        ...traefik,
        ['*"{range .status.parents[*].conditions[*]}"*', 'Accepted=True ResolvedRefs=True '],
      ]),
      curl,
    });

  it("passes with the solution's hostnames: [blue.example]", () => {
    const r = run('blue.example');
    expect(r.status, r.stdout).toBe(0);
  });

  it('rejects a route without hostnames, which catches every Host (near miss no-hostnames)', () => {
    const r = run('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL: HTTPRoute blue has hostnames 'none (every host)'");
  });

  it('rejects a wildcard next to blue.example', () => {
    const r = run('blue.example *.example');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL: HTTPRoute blue has hostnames');
  });
});

describe('ingress-fix: everything under /api, and nothing else', () => {
  const check = task('ingress-fix').check;
  const api = 'api-7b9c6d5f4-mq8zt';
  // Which of the three probed paths Traefik sends to the api pods, per Ingress path (strictPrefixMatching is on).
  const run = (served: Record<'/api/items' | '/api/orders/42' | '/apiary', boolean>) =>
    runOnFakeNode(check, {
      kubectl: tool([['*"get ingress shop -o jsonpath={.spec.ingressClassName}"', 'traefik'], ...traefik]),
      curl: tool(
        Object.entries(served).map(([p, ok]) => [`*"Host: shop.example"*":31842${p}"`, ok ? api : '404 page not found']),
        "printf '404 page not found'",
      ),
    });

  it("passes with the solution's Prefix /api: /api/items and /api/orders/42 reach api, /apiary does not", () => {
    const r = run({ '/api/items': true, '/api/orders/42': true, '/apiary': false });
    expect(r.status, r.stdout).toBe(0);
  });

  it('rejects path / with Prefix, which also sends /apiary to api (near miss path-root)', () => {
    const r = run({ '/api/items': true, '/api/orders/42': true, '/apiary': true });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL: GET /apiary, which is not under /api, also reaches api');
  });

  it('rejects an Exact path /api/items, the one URL the task names (near miss exact-items)', () => {
    const r = run({ '/api/items': true, '/api/orders/42': false, '/apiary': false });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL: /api/items reaches api, but GET /api/orders/42 gets '404 page not found'");
  });
});
