// Tasks whose written solution cannot be typed as it stands: it has a placeholder for an answer the learner finds
// in the lab (<node2-ip>, vethXXXXXXXX, LAB-SEP-YYYY…), or stops at showing the answer the task wants written to
// ~/answers/… . For each, the walk types the written commands, reads the answer off the terminal screen (the output
// of the command the written solution uses to find it) and types it back, as a learner would.
// Keyed by "<lesson id>#<task id>". A task that needs an answer and has no entry here falls back to its solution
// script, and the walk says so. A handler whose written line is gone throws: the solution text changed, update it.
import type { Task } from '../course/challenge/challenge-schema.ts';
import type { SolutionLine } from './lesson-walk-solutions.ts';

export interface AnswerIO {
  /** Types a written line (or a line of the learner's own, such as writing the answer) and returns its output rows. */
  type(line: SolutionLine | string, target?: string): Promise<string[]>;
  /** Waits until a row of the task's output so far on the target matches; the last match wins. */
  find(re: RegExp, what: string, target?: string, timeout?: number): Promise<RegExpExecArray>;
  /** Something the walk did beyond the written solution, reported with the task. */
  note(text: string): void;
  /** How the task was done, when it is not "written, answer read off the screen". */
  how(text: string): void;
}

/** written is undefined when the written solution has no bash block (it is a file's content, or a table of fixes). */
export type AnswerHandler = (io: AnswerIO, written: SolutionLine[] | undefined, task: Task) => Promise<void>;

/** The written line that contains `part` (exactly one). */
function pick(written: SolutionLine[] | undefined, part: string): SolutionLine {
  const found = (written ?? []).filter((l) => l.text.includes(part));
  if (found.length !== 1) throw new Error(`the written solution has ${found.length} lines with "${part}" (the walk's answer handler expects one)`);
  return found[0]!;
}

/** The line with its placeholder replaced by the value read off the screen. */
function fill(line: SolutionLine, placeholder: RegExp | string, value: string): SolutionLine {
  if (typeof placeholder === 'string' ? !line.text.includes(placeholder) : !placeholder.test(line.text)) throw new Error(`no ${placeholder} in "${line.text}"`);
  return { ...line, text: line.text.replace(placeholder, value) };
}

/** The last row matching re, or an error naming what was looked for and what the screen showed. */
function read(rows: string[], re: RegExp, what: string): RegExpExecArray {
  let hit: RegExpExecArray | null = null;
  for (const row of rows) hit = re.exec(row) ?? hit;
  if (!hit) throw new Error(`could not read ${what} off the screen; the command printed:\n${rows.slice(-15).join('\n')}`);
  return hit;
}

function readAll(rows: string[], re: RegExp): string[] {
  const seen: string[] = [];
  for (const row of rows)
    for (const m of row.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))) if (!seen.includes(m[1]!)) seen.push(m[1]!);
  return seen;
}

const IPV4 = String.raw`\d+\.\d+\.\d+\.\d+`;
const MAC = '[0-9a-f]{2}(?::[0-9a-f]{2}){5}';

export const ANSWERS: Record<string, AnswerHandler> = {
  // Method 1 of the written solution: follow the cable from the namespace to the node's interface.
  'pods/pods-and-network-namespaces#find-host-veth': async (io, w) => {
    const ns = read(await io.type(pick(w, 'for ns in')), /^(\S+)$/, 'the namespace holding 10.100.2.23')[1]!;
    const peer = read(await io.type(fill(pick(w, '<that-ns>'), '<that-ns>', ns)), /eth0@if(\d+)/, "eth0's peer ifindex")[1]!;
    const veth = read(await io.type(fill(pick(w, "'$1 == <N>"), '<N>', peer)), /^(\S+?)@/, 'the interface with that ifindex')[1]!;
    await io.type(`echo ${veth} > ~/answers/veth`);
  },
  'pods/pods-and-network-namespaces#port-clash': async (io, w) => {
    const pid = read(await io.type(pick(w, 'ss -ltnp')), /:8080\s.*pid=(\d+)/, 'the pid holding :8080')[1]!;
    await io.type(fill(pick(w, 'kill <pid'), /<pid[^>]*>/, pid));
    for (const l of w!.slice(w!.indexOf(pick(w, 'kill <pid')) + 1)) await io.type(l);
  },
  'pods/pod-to-pod-on-one-node#mac-port': async (io, w) => {
    const port = read(await io.type(pick(w, 'bridge fdb show')), /^02:00:0a:64:03:17 dev (\S+) .*master cbr0/i, 'the cbr0 port of 02:00:0a:64:03:17')[1]!;
    await io.type(fill(pick(w, 'answers/port'), /vethX{4,}/, port));
  },
  'between-nodes/routing-pod-ranges#route-to-node2': async (io, w) => {
    const ip = read(await io.type(pick(w, 'getent hosts node2')), new RegExp(`^(${IPV4})\\s+node2\\b`), "node2's address")[1]!;
    await io.type(fill(pick(w, 'ip route add'), '<node2-ip>', ip));
    await io.type(pick(w, 'ip route get'));
  },
  'between-nodes/routing-pod-ranges#next-hop-mac': async (io, w) => {
    for (const l of w!) await io.type(l);
    const mac = (
      await io.find(new RegExp(`(${MAC}) > (${MAC}), ethertype IPv4 .*> 10\\.100\\.2\\.2: ICMP echo request`, 'i'), 'the destination MAC of the echo request')
    )[2]!;
    await io.type(`echo ${mac} > ~/answers/next-hop-mac`);
  },
  'between-nodes/overlays-vxlan#ops-overlay': async (io, w) => {
    let rows: string[] = [];
    for (const l of w!) rows = await io.type(l);
    const vni = read(rows, /vxlan id (\d+)/, "ops0's VNI")[1]!;
    const port = read(rows, /dstport (\d+)/, "ops0's UDP port")[1]!;
    await io.type(`echo ${vni} > ~/answers/vni`);
    await io.type(`echo ${port} > ~/answers/port`);
  },
  // The written solution is the file's content (a json block): typed as a here-document, as a learner without the
  // editor would.
  'between-nodes/cni-by-hand#write-conflist': async (io, _w, task) => {
    const json = /```json\n([\s\S]*?)```/.exec(task.solution.text ?? '')?.[1];
    const file = /`(\/etc\/cni\/net\.d\/[^`]+)`/.exec(task.description)?.[1];
    if (!json || !file) throw new Error('write-conflist: no json block or no file named in the description');
    io.how(`written json block typed as a here-document into ${file}`);
    await io.type(`cat > ${file} <<'EOF'`);
    for (const line of json.trimEnd().split('\n')) await io.type(line);
    await io.type('EOF');
  },
  'between-nodes/cni-by-hand#container-id': async (io, w) => {
    const ip = read(await io.type(pick(w, 'ip -n web -br addr')), /(10\.100\.6\.\d+)\//, "web's address")[1]!;
    await io.type(pick(w, 'ls /var/lib/cni'));
    const id = read(await io.type(fill(pick(w, 'cat /var/lib/cni'), /10\.100\.6\.1x/, ip)), /^([0-9a-f]{64})/, 'the container ID')[1]!;
    await io.type(`echo ${id} > ~/answers/container-id`);
  },
  'between-nodes/cni-by-hand#ipam-exhausted': async (io, w) => {
    const reserved = readAll(await io.type(pick(w, 'ls /var/lib/cni')), /\b(10\.100\.6\.\d+)\b/);
    const used = readAll(await io.type(pick(w, 'for ns in')), /(10\.100\.6\.\d+)\//);
    const leaked = reserved.filter((ip) => !used.includes(ip));
    if (leaked.length === 0) throw new Error(`no leaked reservation found (reserved ${reserved.join(' ')}, in use ${used.join(' ')})`);
    const del = pick(w, 'CNI_COMMAND=DEL');
    const delStdin = w![w!.indexOf(del) + 1]!;
    io.note(`cat of each leaked reservation typed to read its container ID (${leaked.length})`);
    for (const ip of leaked) {
      const id = read(await io.type(`cat /var/lib/cni/networks/lab/${ip}`), /^(\S+?)\s*$/, `the container ID reserving ${ip}`)[1]!;
      await io.type(fill(del, '<leaked id>', id));
      await io.type(delStdin);
    }
    for (const l of w!.slice(w!.indexOf(delStdin) + 1)) await io.type(l);
  },
  'services/a-clusterip-by-hand#find-endpoints': async (io, w) => {
    const svc = read(await io.type(pick(w, 'LAB-SERVICES')), /-d 10\.101\.0\.20\/32 .*-j (LAB-SVC-\w+)/, 'the LAB-SVC chain of 10.101.0.20')[1]!;
    const seps = readAll(await io.type(fill(pick(w, 'LAB-SVC-XXXX'), /LAB-SVC-X+/, svc)), /-j (LAB-SEP-\w+)/);
    if (seps.length === 0) throw new Error(`no LAB-SEP chains in ${svc}`);
    const endpoints: string[] = [];
    for (const sep of seps) {
      endpoints.push(
        read(await io.type(fill(pick(w, 'LAB-SEP-YYYY'), /LAB-SEP-Y+/, sep)), /--to-destination (\d+\.\d+\.\d+\.\d+:\d+)/, `the DNAT of ${sep}`)[1]!,
      );
    }
    await io.type(`printf '%s\\n' ${endpoints.join(' ')} > ~/answers/endpoints`);
  },
  'services/a-clusterip-by-hand#wrong-target-port': async (io, w) => {
    await io.type(pick(w, 'svc=$('));
    const seps = readAll(await io.type(pick(w, '-S $svc')), /-j (LAB-SEP-\w+)/);
    if (seps.length === 0) throw new Error('no LAB-SEP chains in the shop/api service chain');
    for (const sep of seps) {
      const m = read(
        await io.type(fill(pick(w, '--line-numbers'), /LAB-SEP-X+/, sep)),
        new RegExp(`^(\\d+)\\s+DNAT\\b.*to:(${IPV4}):\\d+`),
        `the DNAT rule of ${sep}`,
      );
      const fix = pick(w, '-R LAB-SEP-');
      await io.type(fill(fill(fix, /LAB-SEP-X+ \d+/, `${sep} ${m[1]}`), new RegExp(`${IPV4}:8080`), `${m[2]}:8080`));
    }
  },
  'dns-and-policy/dns-by-hand#legacy-queries': async (io, w) => {
    let rows: string[] = [];
    for (const l of w!) rows = await io.type(l);
    const count = rows.filter((r) => /query\[A\]/.test(r)).length;
    if (count === 0) throw new Error(`the grep printed no query lines:\n${rows.join('\n')}`);
    await io.type(`echo ${count} > ~/answers/queries`);
  },
  'dns-and-policy/network-policy-by-hand#read-monitoring-policy': async (io, w) => {
    const rule = read(
      await io.type(pick(w, 'iptables -S POL-MONITORING-IN')),
      new RegExp(`-s (${IPV4})/32 .*--dport (\\d+) .*-j ACCEPT`),
      'the allowed source and port',
    );
    const [, ip, port] = rule;
    const pod = read(await io.type(pick(w, 'for ns in')), new RegExp(`^(\\S+) ${ip!.replace(/\./g, '\\.')}/`), `the pod with ${ip}`)[1]!;
    await io.type(fill(fill(pick(w, '<that pod>'), '<that pod>', pod), 'PPPP', port!));
    await io.type(`echo ${pod} > ~/answers/allowed-pod`);
    await io.type(`echo ${port} > ~/answers/allowed-port`);
  },
  'troubleshooting/troubleshooting-by-hand#files-layers': async (io, w) => {
    const vip = read(await io.type(pick(w, 'dig @10.100.1.53')), new RegExp(`^(${IPV4})$`), "files' VIP")[1]!;
    await io.type(fill(pick(w, '<VIP>'), '<VIP>', vip));
    const pod = read(await io.type(pick(w, 'LAB-SVC-FILES')), new RegExp(`--to-destination (${IPV4}):\\d+`), "files' pod address")[1]!;
    await io.type(`echo ${vip} > ~/answers/files-vip`);
    await io.type(`echo ${pod} > ~/answers/files-pod`);
  },
  'troubleshooting/troubleshooting-by-hand#path-web': (io, _w, task) => fixPath(io, task, 'web'),
  'troubleshooting/troubleshooting-by-hand#path-api': (io, _w, task) => fixPath(io, task, 'api'),
  'troubleshooting/troubleshooting-by-hand#path-files': (io, _w, task) => fixPath(io, task, 'files'),
};

/** The row of the written solution's fix table for a layer: | symptom | layer | fault | fix |. */
function fixFor(task: Task, layer: string): string {
  for (const row of (task.solution.text ?? '').split('\n')) {
    const cells = row.split('|').map((c) => c.trim());
    if (cells.length >= 5 && cells[2] === layer) return /`([^`]+)`/.exec(cells[4]!)?.[1] ?? cells[4]!;
  }
  throw new Error(`${task.id}: the written solution's table has no row for the layer "${layer}"`);
}

/** The lesson's layered walk on one path, with the fix taken from the written solution's table of symptoms:
 *  read curl's error, the Service's DNAT and the client's address, and if the error does not name the layer, the node's
 *  route to the pod. */
async function fixPath(io: AnswerIO, task: Task, p: string): Promise<void> {
  const probe = `ip netns exec c-${p} curl -sS -v -m 3 http://${p}/ 2>&1 | grep -E '^\\* connect to|^curl|-pod ok'`;
  const symptom = (await io.type(probe)).join('\n');
  const svc = `LAB-SVC-${p.toUpperCase()}`;
  const pod = read(await io.type(`iptables -t nat -S ${svc}`), new RegExp(`--to-destination (${IPV4}):\\d+`), `the pod behind ${svc}`)[1]!;
  const client = read(await io.type(`ip -n c-${p} -br addr`), new RegExp(`(${IPV4})/`), `c-${p}'s address`)[1]!;
  let layer: string;
  if (/Could not resolve/i.test(symptom)) layer = 'name';
  else if (/refused/i.test(symptom)) layer = 'Service';
  else if (/unreachable|No route to host/i.test(symptom)) layer = 'node route';
  else if (/with 0 bytes received/i.test(symptom)) layer = 'MTU';
  else {
    const route = (await io.type(`ip route get ${pod}`)).join(' ');
    layer = route.includes(`dev v-${p}-pod`) ? 'filter' : 'node route';
  }
  const fix = fixFor(task, layer);
  io.how("the lesson's layered walk, fix from the written solution's table");
  io.note(`layer "${layer}" (curl: ${symptom.split('\n').pop()?.slice(0, 70)})`);
  if (/^(ip|iptables) /.test(fix)) await io.type(fix.replace(/<pod>/g, pod).replace(/<client>/g, client));
  else if (layer === 'name') {
    io.note(`the table's fix is the line "${fix}": typed as a sed on the pod's resolv.conf`);
    await io.type(`sed -i 's/^nameserver .*/nameserver 10.100.1.53/' /etc/netns/c-${p}/resolv.conf`);
  } else if (layer === 'Service') {
    io.note(`the table's fix says "${fix}": typed as iptables -R of the DNAT rule`);
    await io.type(`iptables -t nat -R ${svc} 1 -p tcp -j DNAT --to-destination ${pod}:8080`);
  } else throw new Error(`${task.id}: no command in the table's fix for ${layer}: ${fix}`);
  await io.type(`ip netns exec c-${p} curl -sS -m 3 http://${p}/ | head -n1`);
}
