// Static checks of the JSX a lesson uses: only registered components, literal props that match each
// component's schema, <Run> targets that exist in the sandbox, and diagrams styled only through pw-* classes.
import type { ContentIssue } from './content-issue.ts';
import { closest } from './content-issue.ts';
import type { JsxUse } from './compile-mdx.ts';
import type { Literal } from './estree-literal.ts';
import { diagramClasses, mdxComponentNames, mdxComponentProps } from './mdx-component-props.ts';
import type { MdxComponentName } from './mdx-component-props.ts';
import { fieldName } from './schema-issues.ts';

const COLOUR_ATTRIBUTES = ['fill', 'stroke', 'color', 'stopColor', 'floodColor', 'lightingColor'];
const NEUTRAL_COLOUR = /^(none|currentColor|transparent|inherit|url\(#[\w-]+\)|var\(--[\w-]+\))$/;

export function checkComponents(file: string, uses: JsxUse[], targets: string[] | undefined, sandboxName: string | undefined): ContentIssue[] {
  const issues: ContentIssue[] = [];
  for (const use of uses) {
    const at = { file, line: use.line, column: use.column };
    if (/^[A-Z]/.test(use.name)) {
      if (!(mdxComponentNames as string[]).includes(use.name)) {
        const guess = closest(use.name, mdxComponentNames);
        issues.push({
          ...at,
          field: `<${use.name}>`,
          message: `unknown component <${use.name}>${guess ? ` (did you mean <${guess}>?)` : ''}`,
          valid: `one of ${mdxComponentNames.map((n) => `<${n}>`).join(', ')}`,
        });
        continue;
      }
      issues.push(...checkProps(file, use, use.name as MdxComponentName));
      const targeted = use.name === 'Run' || use.name === 'Edit';
      if (targeted && typeof use.attributes.target === 'string' && targets && !targets.includes(use.attributes.target)) {
        const guess = closest(use.attributes.target, targets);
        issues.push({
          ...at,
          field: `<${use.name} target>`,
          message: `target "${use.attributes.target}" is not in sandbox ${sandboxName}${guess ? ` (did you mean "${guess}"?)` : ''}`,
          valid: `one of ${targets.join(', ')}`,
        });
      }
      continue;
    }
    if (use.ancestors.includes('Diagram')) issues.push(...checkDiagramElement(file, use));
  }
  return issues;
}

function checkProps(file: string, use: JsxUse, name: MdxComponentName): ContentIssue[] {
  const at = { file, line: use.line, column: use.column };
  const attrs = Object.entries(use.attributes).filter(([k]) => k !== 'key');
  // A prop written as a non-literal expression ({someVariable}) cannot be checked without running the lesson.
  if (attrs.some(([, v]) => v === undefined)) return [];
  const parsed = mdxComponentProps[name].safeParse(Object.fromEntries(attrs) as Record<string, Literal>);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const prop = fieldName('', issue.path);
    if (issue.code === 'unrecognized_keys') {
      return {
        ...at,
        field: `<${name}>`,
        message: `unknown prop${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`,
        valid: `props of <${name}>: ${propNames(name).join(', ')}`,
      };
    }
    const missing = issue.code === 'invalid_type' && !(String(issue.path[0]) in use.attributes);
    return {
      ...at,
      field: `<${name} ${prop}>`,
      message: missing ? 'is required but missing' : issue.message,
      valid: `props of <${name}>: ${propNames(name).join(', ')}`,
    };
  });
}

function propNames(name: MdxComponentName): string[] {
  return Object.keys(mdxComponentProps[name].shape);
}

function checkDiagramElement(file: string, use: JsxUse): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const at = { file, line: use.line, column: use.column, field: `<Diagram> <${use.name}>` };
  const cls = use.attributes.className;
  if (typeof cls === 'string') {
    for (const c of cls.split(/\s+/).filter(Boolean)) {
      if (!(diagramClasses as readonly string[]).includes(c)) {
        const guess = closest(c, diagramClasses);
        issues.push({
          ...at,
          message: `class "${c}" is not a diagram class${guess ? ` (did you mean "${guess}"?)` : ''}`,
          valid: `classes ${diagramClasses.join(', ')}`,
        });
      }
    }
  }
  for (const attr of COLOUR_ATTRIBUTES) {
    const v = use.attributes[attr];
    if (typeof v === 'string' && !NEUTRAL_COLOUR.test(v.trim())) {
      issues.push({
        ...at,
        message: `${attr}="${v}" hard-codes a colour, which breaks the other theme`,
        valid: `a pw-* class (e.g. pw-accent, pw-muted), or ${attr}="none" / "currentColor"`,
      });
    }
  }
  if ('style' in use.attributes) issues.push({ ...at, message: 'inline style in a diagram', valid: `style through classes ${diagramClasses.join(', ')}` });
  if (use.name === 'svg' && !('viewBox' in use.attributes))
    issues.push({ ...at, message: '<svg> without viewBox does not scale with the page', valid: 'viewBox="0 0 <width> <height>"' });
  return issues;
}
