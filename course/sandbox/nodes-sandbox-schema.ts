// sandbox.yaml for runtime "nodes": bare Linux hosts (containers) on one or more lab networks.
import { z } from 'zod';
import { byteSize, sandboxName, setupStepSchema, targetName } from './schema-parts.ts';

export const resourcesSchema = z
  .strictObject({
    memory: byteSize.optional().meta({ description: 'Memory limit, no swap (e.g. 256Mi). Default 256Mi.' }),
    cpus: z.number().positive().max(64).optional().meta({ description: 'CPU limit in cores (e.g. 0.5). Default 1.' }),
    pids: z.number().int().min(32).max(100_000).optional().meta({ description: 'Maximum processes; contains fork bombs. Default 512.' }),
    tmpSize: byteSize.optional().meta({ description: 'Size of the /tmp tmpfs. Default 64Mi.' }),
    runSize: byteSize.optional().meta({ description: 'Size of the /run tmpfs. Default 16Mi.' }),
  })
  .meta({ description: 'Per-node resource limits.' });

export const DEFAULT_NODE_RESOURCES = {
  memory: 256 * 1024 ** 2,
  cpus: 1,
  pids: 512,
  tmpSize: 64 * 1024 ** 2,
  runSize: 16 * 1024 ** 2,
} as const;

export const labNetworkSchema = z
  .strictObject({
    name: targetName.meta({ description: 'Lab-local network name, e.g. lan or wan.' }),
    egress: z
      .boolean()
      .default(false)
      .meta({ description: 'Allow traffic to leave the machine through this network (a default route and NAT). Off by default: labs stay on the host.' }),
  })
  .meta({ description: 'A lab network: a private bridge shared by the nodes attached to it.' });

export const nodeSchema = z
  .strictObject({
    name: targetName.meta({ description: 'Node name: hostname, DNS name on its networks, and lab target name (e.g. node1).' }),
    title: z.string().min(1).max(40).optional().meta({ description: 'Terminal tab title; defaults to the name.' }),
    image: z
      .string()
      .min(1)
      .default('packetwalk/node:latest')
      .meta({ description: 'Image; packetwalk/<name>:latest is built from sandboxes/images/<name>/ by "npm run images".' }),
    role: z.enum(['node', 'router']).default('node').meta({ description: 'What the node plays in lessons; routers get ip_forward=1.' }),
    networks: z.array(targetName).min(1).optional().meta({ description: 'Lab networks the node is attached to, first = primary. Default: the first network.' }),
    resources: resourcesSchema.optional(),
  })
  .meta({ description: 'A Linux host in the lab.' });

export const nodesSandboxSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Path to sandbox.schema.json, for editors.' }),
    name: sandboxName.meta({ description: 'Template name; must equal the folder name under sandboxes/.' }),
    title: z.string().min(1).max(80).meta({ description: 'Shown to learners, e.g. "Two Linux hosts on a LAN".' }),
    description: z.string().optional().meta({ description: 'What the template is for (Markdown).' }),
    runtime: z.literal('nodes').meta({ description: 'Bare Linux nodes (containers).' }),
    networks: z
      .array(labNetworkSchema)
      .min(1)
      .max(8)
      .default([{ name: 'lan', egress: false }])
      .meta({ description: 'Lab networks. Default: one network "lan" without egress.' }),
    defaults: resourcesSchema.optional().meta({ description: 'Resource limits applied to every node unless the node overrides them.' }),
    nodes: z.array(nodeSchema).min(1).max(16).meta({ description: 'The nodes; each becomes a lab target.' }),
    setup: z.array(setupStepSchema).default([]).meta({ description: 'Commands run once every node is ready, in order.' }),
  })
  .superRefine((s, ctx) => {
    const nodeNames = new Set<string>();
    s.nodes.forEach((n, i) => {
      if (nodeNames.has(n.name)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'name'], message: `duplicate node name "${n.name}"` });
      nodeNames.add(n.name);
    });
    const netNames = new Set<string>();
    s.networks.forEach((n, i) => {
      if (netNames.has(n.name)) ctx.addIssue({ code: 'custom', path: ['networks', i, 'name'], message: `duplicate network name "${n.name}"` });
      netNames.add(n.name);
    });
    s.nodes.forEach((n, i) =>
      (n.networks ?? []).forEach((net, j) => {
        if (!netNames.has(net))
          ctx.addIssue({
            code: 'custom',
            path: ['nodes', i, 'networks', j],
            message: `unknown network "${net}"; declare it under "networks" (known: ${[...netNames].join(', ')})`,
          });
      }),
    );
    s.setup.forEach((step, i) => {
      if (step.target !== 'all' && !nodeNames.has(step.target))
        ctx.addIssue({
          code: 'custom',
          path: ['setup', i, 'target'],
          message: `unknown target "${step.target}"; use a node name (${[...nodeNames].join(', ')}) or "all"`,
        });
    });
  })
  .meta({ title: 'packetwalk sandbox (nodes)', description: 'A lab of bare Linux nodes on private lab networks.' });

export type NodesSandbox = z.output<typeof nodesSandboxSchema>;
export type NodeDefinition = NodesSandbox['nodes'][number];
