// kubectl command lines, read for what they touch: `kubectl patch` (the resource, the patch type and the patch) and
// the templates of `kubectl get -o jsonpath=|custom-columns=` and `kubectl wait --for=jsonpath=` (the resource, one
// object or a list, the template). The resource names kubectl resolves by discovery are, for the built-in types the
// course uses, fixed by the API (plural, singular and short names); a type not listed here (a CRD's) is reported
// as unknown, not guessed.
import { parse as parseYaml } from 'yaml';

/** Built-in resource names (as kubectl accepts them) -> apiVersion and kind. */
const BUILT_IN: Record<string, { apiVersion: string; kind: string }> = {};
for (const [names, apiVersion, kind] of [
  [['pod', 'pods', 'po'], 'v1', 'Pod'],
  [['service', 'services', 'svc'], 'v1', 'Service'],
  [['configmap', 'configmaps', 'cm'], 'v1', 'ConfigMap'],
  [['node', 'nodes', 'no'], 'v1', 'Node'],
  [['namespace', 'namespaces', 'ns'], 'v1', 'Namespace'],
  [['serviceaccount', 'serviceaccounts', 'sa'], 'v1', 'ServiceAccount'],
  [['deployment', 'deployments', 'deploy'], 'apps/v1', 'Deployment'],
  [['daemonset', 'daemonsets', 'ds'], 'apps/v1', 'DaemonSet'],
  [['statefulset', 'statefulsets', 'sts'], 'apps/v1', 'StatefulSet'],
  [['networkpolicy', 'networkpolicies', 'netpol'], 'networking.k8s.io/v1', 'NetworkPolicy'],
  [['ingress', 'ingresses', 'ing'], 'networking.k8s.io/v1', 'Ingress'],
  [['ingressclass', 'ingressclasses'], 'networking.k8s.io/v1', 'IngressClass'],
  [['endpointslice', 'endpointslices'], 'discovery.k8s.io/v1', 'EndpointSlice'],
] as const)
  for (const n of names) BUILT_IN[n] = { apiVersion, kind };

export interface PatchCall {
  /** The resource as written ("service", "deploy/web"'s "deploy"). */
  resource: string;
  type: { apiVersion: string; kind: string } | undefined;
  patchType: 'strategic' | 'merge' | 'json';
  /** The patch, parsed (kubectl takes JSON or YAML), or the parse error. */
  patch: { ok: true; value: unknown } | { ok: false; error: string };
}

/** Flags of kubectl (global, or of patch, get and wait) that take a value as the next argument. */
const VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '--kubeconfig',
  '--context',
  '--cluster',
  '--user',
  '-l',
  '--selector',
  '--field-manager',
  '--subresource',
  '-o',
  '--output',
  '--field-selector',
  '-L',
  '--label-columns',
  '--sort-by',
  '--timeout',
  '--request-timeout',
]);

/** The patch a kubectl command line (the arguments after "kubectl") makes, or undefined if it is not `kubectl patch -p`. */
export function patchCall(args: string[]): PatchCall | undefined {
  const positional: string[] = [];
  let patch: string | undefined;
  let patchType: PatchCall['patchType'] = 'strategic';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-p' || a === '--patch') patch = args[++i];
    else if (a.startsWith('--patch=') || a.startsWith('-p=')) patch = a.slice(a.indexOf('=') + 1);
    else if (a === '--type') patchType = args[++i] as PatchCall['patchType'];
    else if (a.startsWith('--type=')) patchType = a.slice('--type='.length) as PatchCall['patchType'];
    else if (VALUE_FLAGS.has(a)) i++;
    else if (!a.startsWith('-')) positional.push(a);
  }
  if (positional[0] !== 'patch' || patch === undefined || positional.length < 2) return undefined;
  const resource = positional[1]!.split('/')[0]!.toLowerCase();
  let parsed: PatchCall['patch'];
  try {
    parsed = { ok: true, value: parseYaml(patch) as unknown };
  } catch (err) {
    parsed = { ok: false, error: (err as Error).message.split('\n')[0]! };
  }
  return { resource, type: BUILT_IN[resource], patchType, patch: parsed };
}

/** The value of -o/--output (in any of its spellings), or undefined. Arguments after `--` are the command's. */
export function outputFormat(args: string[]): string | undefined {
  let format: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if ((a === '-o' || a === '--output') && args[i + 1] !== undefined) format = args[++i];
    else if (a.startsWith('--output=') || a.startsWith('-o=')) format = a.slice(a.indexOf('=') + 1);
    else if (/^-o[a-z]/.test(a)) format = a.slice(2);
  }
  return format;
}

/**
 * Each column of a custom-columns spec ("NAME:.metadata.name,CIDR:.spec.podCIDR") as the jsonpath template kubectl
 * reads it with (it wraps a relaxed `.a.b` in braces), or why the column is not NAME:EXPRESSION.
 */
export function customColumnTemplates(spec: string): ({ template: string } | { problem: string })[] {
  return spec.split(',').map((column) => {
    const colon = column.indexOf(':');
    if (colon <= 0) return { problem: `custom-columns column "${column}" is not NAME:EXPRESSION` };
    const expr = column.slice(colon + 1);
    return { template: expr.startsWith('{') ? expr : `{${expr.startsWith('.') ? '' : '.'}${expr}}` };
  });
}

export interface TemplateQuery {
  resource: string;
  type: { apiVersion: string; kind: string } | undefined;
  /** What the template reads: each template with whether it sees one object or the List kubectl prints. */
  templates: { flag: string; text: string; of: 'object' | 'list' }[];
}

/**
 * The jsonpath templates of `kubectl get` (-o jsonpath=, custom-columns=, whose columns read each item) and
 * `kubectl wait --for=jsonpath=` (each object), or undefined when the command line has none.
 */
export function templateQuery(args: string[]): TemplateQuery | undefined {
  const positional: string[] = [];
  const output = outputFormat(args);
  let waitFor: string | undefined;
  let selector = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (/^-o[a-z]/.test(a) || a.startsWith('-o=') || a.startsWith('--output=')) continue;
    if (a.startsWith('--for=jsonpath=')) waitFor = a.slice('--for=jsonpath='.length);
    else if (a === '-l' || a === '--selector' || a.startsWith('--selector=') || a.startsWith('-l=') || a === '-A' || a === '--all-namespaces') {
      selector = true;
      if (a === '-l' || a === '--selector') i++;
    } else if (VALUE_FLAGS.has(a)) i++;
    else if (!a.startsWith('-')) positional.push(a);
  }
  const [verb, target, ...names] = positional;
  if (!target || target.includes(',')) return undefined;
  const [resource, slashName] = target.toLowerCase().split('/', 2) as [string, string | undefined];
  const one = slashName !== undefined || (names.length === 1 && !selector);
  const templates: TemplateQuery['templates'] = [];
  if (verb === 'get' && output) {
    const format = /^(jsonpath|jsonpath-as-json)=(.*)$/s.exec(output);
    if (format) templates.push({ flag: `-o ${output}`, text: format[2]!, of: one ? 'object' : 'list' });
    else if (output.startsWith('custom-columns='))
      for (const column of customColumnTemplates(output.slice('custom-columns='.length)))
        if ('template' in column) templates.push({ flag: `-o ${output}`, text: column.template, of: 'object' });
  }
  // --for=jsonpath='{.status.phase}'=Succeeded: the template is everything up to its last closing brace.
  if (verb === 'wait' && waitFor) templates.push({ flag: `--for=jsonpath=${waitFor}`, text: waitFor.slice(0, waitFor.lastIndexOf('}') + 1), of: 'object' });
  return templates.length ? { resource, type: BUILT_IN[resource], templates } : undefined;
}
