// The kind lessons' index.mdx files: the same content check `npm run content:check` runs (frontmatter, sandbox
// and targets, MDX, components, links, diagrams, challenge), plus what this course promises for every in-cluster
// lesson: a diagram, a router-CLI callout, click-to-run commands, a predict-then-observe step, versions that match
// the sandbox's node image, and manifests in the prose that are byte-for-byte what `lab verify` applies.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkContent } from '../../../course/content/check.ts';
import type { ContentIssue } from '../../../course/content/content-issue.ts';
import { lessonFrontmatterSchema } from '../../../course/content/lesson-frontmatter.ts';
import { KIND_LESSONS, KIND_TARGETS, REPO, loadChallenge } from './kind-lesson-files.ts';

function readLesson(lesson: string): { frontmatter: Record<string, unknown>; body: string } {
  const text = readFileSync(path.join(REPO, lesson, 'index.mdx'), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`${lesson}/index.mdx has no frontmatter block`);
  return { frontmatter: parseYaml(m[1]!) as Record<string, unknown>, body: m[2]! };
}

/** "content/03-services/02-services-and-kube-proxy" -> "/learn/services/services-and-kube-proxy" */
function hrefOf(lesson: string): string {
  const [, mod, les] = lesson.split('/');
  return `/learn/${mod!.replace(/^\d+-/, '')}/${les!.replace(/^\d+-/, '')}`;
}

/** The body of the first `<<'EOF'` heredoc in a script, i.e. the manifest a solution applies. */
function heredocOf(script: string): string {
  const start = script.indexOf("<<'EOF'");
  const from = script.indexOf('\n', start) + 1;
  return script.slice(from, script.indexOf('\nEOF', from));
}

let issues: ContentIssue[] = [];
beforeAll(async () => {
  const result = await checkContent({ contentDir: path.join(REPO, 'content'), sandboxesDir: path.join(REPO, 'sandboxes'), baseDir: REPO });
  issues = result.issues;
}, 180_000);

describe.each(KIND_LESSONS)('%s/index.mdx', (lesson) => {
  it('passes the content check (frontmatter, sandbox targets, MDX, components, links, challenge)', () => {
    const mine = issues
      .filter((i) => i.file.startsWith(path.join(REPO, lesson) + path.sep))
      .map((i) => `${path.relative(REPO, i.file)}:${i.line ?? '?'} ${i.field ?? ''} ${i.message}`);
    expect(mine).toEqual([]);
  });

  it('has strict frontmatter on a kind sandbox, pinned to the sandbox node image version', () => {
    const { frontmatter } = readLesson(lesson);
    const parsed = lessonFrontmatterSchema.safeParse(frontmatter);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    const fm = parsed.data!;
    expect(fm.sandbox).toMatch(/^kind-/);
    expect(fm.order).toBe(Number(lesson.split('/')[2]!.slice(0, 2)));
    const sandbox = parseYaml(readFileSync(path.join(REPO, 'sandboxes', fm.sandbox, 'sandbox.yaml'), 'utf8')) as { nodeImage: string };
    const minor = /kindest\/node:v(\d+\.\d+)\./.exec(sandbox.nodeImage)?.[1];
    expect(fm.versions?.kubernetes, `sandbox ${fm.sandbox} runs Kubernetes ${minor}`).toBe(minor);
    expect(fm.versions?.cni).toBeTruthy();
  });

  it('has a diagram, a router-CLI callout, click-to-run commands and a predict-then-observe step', () => {
    const { body } = readLesson(lesson);
    for (const component of ['<Diagram', '<RouterCli', '<Predict', '<Run ']) expect(body, component).toContain(component);
    // Each prediction is followed by the command that reveals the answer.
    const predicts = body.split('</Predict>').slice(1);
    expect(predicts.length).toBeGreaterThan(0);
    for (const after of predicts) expect(after.trimStart(), 'a <Run> or code block right after </Predict>').toMatch(/^(<Run |```)/);
  });

  it('runs commands only on the kind lesson targets', () => {
    const { body } = readLesson(lesson);
    const targets = [...body.matchAll(/<Run target="([^"]+)"/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(KIND_TARGETS).toContain(t);
  });

  it('links to other kind lessons that exist', () => {
    const { body } = readLesson(lesson);
    const known = new Set(KIND_LESSONS.map(hrefOf));
    const links = [...body.matchAll(/\]\((\/learn\/[^)#\s]+)/g)].map((m) => m[1]!);
    expect(links.length, 'every kind lesson links to the by-hand lesson it builds on').toBeGreaterThan(0);
    for (const href of links) {
      const mod = href.split('/')[2];
      if (KIND_LESSONS.some((l) => hrefOf(l).split('/')[2] === mod && known.has(href))) continue;
      // Links to by-hand lessons: the module must be one of the course's modules.
      expect(['pods', 'between-nodes', 'services', 'dns-and-policy', 'edge-and-dataplane', 'troubleshooting']).toContain(mod);
    }
  });
});

describe('manifests shown in the prose are the ones lab verify applies', () => {
  it.each([
    ['content/04-dns-and-policy/02-coredns', 'nodelocal'],
    ['content/05-edge-and-dataplane/02-dataplanes', 'nft-canary'],
  ])('%s: task %s', (lesson, taskId) => {
    const task = loadChallenge(lesson).tasks.find((t) => t.id === taskId)!;
    const manifest = heredocOf(task.solution.script).trim();
    expect(manifest.length).toBeGreaterThan(200);
    const { body } = readLesson(lesson);
    const blocks = [...body.matchAll(/```yaml\n([\s\S]*?)\n```/g)].map((m) => m[1]!.trim());
    expect(blocks).toContain(manifest);
  });
});
