// Every jsonpath the course reads a cluster with (`kubectl get -o jsonpath=`, custom-columns, `kubectl wait
// --for=jsonpath=`, and the lab-runner's node-ready query) must name fields the API's type has. A live cluster prints
// nothing for a field that is not there, so a misspelt path makes a check fail every learner, or pass every one;
// the scripted kubectl of the other lesson tests answers whatever it was told to. The judge is k8s.io/api's object
// of each type with every field set (tests/unit/_lib/k8s-api-testdata.ts); custom resources are listed, not checked.
import { describe, expect, it } from 'vitest';
import { NODES_READY_JSONPATH } from '../../../lab-runner/kind/wait-for-ready.ts';
import { courseKubectlCalls } from '../_lib/course-kubectl.ts';
import { pathProblem, templatePaths } from '../_lib/jsonpath-fields.ts';
import { K8S_API_TESTDATA, K8S_API_TESTDATA_MISSING, testdataRelease, upstreamObject } from '../_lib/k8s-api-testdata.ts';
import { templateQuery, type TemplateQuery } from '../_lib/kubectl-args.ts';
import { shfmtAvailable } from '../_lib/shell-calls.ts';

interface Verdict {
  /** "Service -o jsonpath=…" for each template checked. */
  checked: string[];
  unchecked: string[];
  problems: string[];
}

/** What kubectl prints for a list: a List around the items. */
const asList = (item: unknown) => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [item] });

function judgeQuery(dir: string, where: string, q: TemplateQuery, v: Verdict): void {
  if (!q.type) {
    v.unchecked.push(q.resource);
    return;
  }
  const upstream = upstreamObject(dir, q.type.apiVersion, q.type.kind)!;
  for (const t of q.templates) {
    const what = `${where}: kubectl get ${q.resource} ${t.flag}`;
    const reading = templatePaths(t.text);
    if (!reading.ok) {
      v.problems.push(
        `${what}: tests/unit/_lib/jsonpath-fields.ts does not read this template (${reading.reason}); teach it, or write the template in the subset it reads`,
      );
      continue;
    }
    v.checked.push(`${q.type.kind} ${t.flag}`);
    for (const path of reading.paths) {
      const problem = pathProblem(path, t.of === 'list' ? asList(upstream) : upstream);
      const first = path[0];
      const listHint =
        t.of === 'list' && first && 'field' in first && first.field !== 'items' ? ' (this query prints a List: its objects are under .items)' : '';
      if (problem) v.problems.push(`${what}: ${problem}${listHint}`);
    }
  }
}

const haveShfmt = shfmtAvailable();
const skipReason = !haveShfmt ? 'shfmt is not installed (apt-get install shfmt; .ci/run installs it)' : !K8S_API_TESTDATA ? K8S_API_TESTDATA_MISSING : '';
const dir = K8S_API_TESTDATA ?? '';

function judgeCourse(): Verdict {
  const v: Verdict = { checked: [], unchecked: [], problems: [] };
  for (const call of courseKubectlCalls().calls) {
    if (call.kind === 'prose') continue;
    const q = templateQuery(call.args);
    if (q) judgeQuery(dir, call.where, q, v);
  }
  judgeQuery(dir, 'lab-runner/kind/wait-for-ready.ts', templateQuery(['get', 'nodes', `-o=jsonpath=${NODES_READY_JSONPATH}`])!, v);
  return v;
}

const verdict = skipReason ? undefined : judgeCourse();

describe.skipIf(!!skipReason)(
  `the jsonpath templates of the course against k8s.io/api${skipReason ? ` (skipped: ${skipReason})` : ` (${testdataRelease(dir)})`}`,
  () => {
    const { checked, unchecked, problems } = verdict ?? { checked: [], unchecked: [], problems: [] };

    it('finds them: the checks, solutions and pages read Services, EndpointSlices, Nodes, Pods… by jsonpath', () => {
      expect(checked.length).toBeGreaterThan(80);
      for (const kind of ['Service', 'EndpointSlice', 'Node', 'Pod', 'Deployment', 'DaemonSet', 'ConfigMap'])
        expect(
          checked.some((c) => c.startsWith(`${kind} `)),
          kind,
        ).toBe(true);
      // Only custom resources (Gateway API) are left out.
      expect([...new Set(unchecked)].sort()).toEqual(['gateway', 'httproute']);
    });

    it('reads only fields the API has', () => {
      expect(problems, `${problems.length} problems in ${checked.length} templates:\n${problems.join('\n')}`).toEqual([]);
    });

    it('would fail on a misspelt field, a filter on a field the type lacks, or a list read as one object (the check can fail)', () => {
      const judge = (args: string[]) => {
        const v: Verdict = { checked: [], unchecked: [], problems: [] };
        judgeQuery(dir, 'here', templateQuery(args)!, v);
        return v.problems.map((p) => p.replace(/^here: kubectl get \S+ /, ''));
      };
      expect(judge(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP} {.spec.selector.app} {.metadata.labels.app\\.kubernetes\\.io/name}'])).toEqual(
        [],
      );
      expect(
        judge([
          'get',
          'endpointslices',
          '-l',
          'kubernetes.io/service-name=web',
          '-o',
          'jsonpath={range .items[*].endpoints[*]}{.addresses[0]} {.conditions.ready}{end}',
        ]),
      ).toEqual([]);
      expect(judge(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIp}'])).toEqual([
        '-o jsonpath={.spec.clusterIp}: no field "clusterIp" under .spec (did you mean "clusterIP"?)',
      ]);
      expect(judge(['get', 'node', 'n1', '-o', 'jsonpath={.status.addresses[?(@.typ=="InternalIP")].address}'])).toEqual([
        '-o jsonpath={.status.addresses[?(@.typ=="InternalIP")].address}: no field "typ" under .status.addresses[*] (did you mean "type"?)',
      ]);
      expect(judge(['get', 'pods', '-o', 'jsonpath={.metadata.name}'])).toEqual([
        '-o jsonpath={.metadata.name}: no field "name" under .metadata (this query prints a List: its objects are under .items)',
      ]);
      expect(judge(['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,NODE:.spec.nodeNam'])).toEqual([
        '-o custom-columns=NAME:.metadata.name,NODE:.spec.nodeNam: no field "nodeNam" under .spec (did you mean "nodeName"?)',
      ]);
      expect(judge(['wait', '--for=jsonpath={.status.phse}=Succeeded', 'pod/x'])).toEqual([
        '--for=jsonpath={.status.phse}=Succeeded: no field "phse" under .status (did you mean "phase"?)',
      ]);
    });
  },
);
