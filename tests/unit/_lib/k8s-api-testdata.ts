// k8s.io/api's serialisation test data (testdata/HEAD of the module, the release a pinned node image runs): one
// object of each API type with every field set, encoded by the API machinery itself. Where no cluster runs, it is
// the API's own word on what its JSON looks like. `.ci/k8s-release-files.sh api-testdata` fetches it; PACKETWALK_K8S_API_TESTDATA
// names the folder. Values are the fuzzer's ("nameValue", 3); a map holds one entry, "<field>Key".
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const K8S_API_TESTDATA: string | undefined = process.env.PACKETWALK_K8S_API_TESTDATA || undefined;

export const K8S_API_TESTDATA_MISSING =
  'PACKETWALK_K8S_API_TESTDATA is not set: `.ci/k8s-release-files.sh api-testdata` fetches k8s.io/api test data of a pinned release (.ci/run sets it)';

export type ApiObject = Record<string, unknown>;

/** "k8s.io/api 0.36.4-1 (Debian golang-k8s-api-dev)": which release the folder holds. */
export function testdataRelease(dir: string): string {
  return readFileSync(path.join(dir, 'VERSION'), 'utf8').trim();
}

/** The file name k8s.io/api gives a type: core.v1.Pod.json, apps.v1.Deployment.json, discovery.k8s.io.v1.EndpointSlice.json. */
export function testdataFile(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['core', apiVersion];
  return `${group}.${version}.${kind}.json`;
}

/** The fully set object of that type, or undefined when k8s.io/api has no such type (a CRD's, say). */
export function upstreamObject(dir: string, apiVersion: string, kind: string): ApiObject | undefined {
  const file = path.join(dir, testdataFile(apiVersion, kind));
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ApiObject) : undefined;
}
