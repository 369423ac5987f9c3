// Splits "---\nYAML\n---\n" off the top of an index.mdx. The MDX body keeps its line numbers
// (the frontmatter becomes blank lines), so compiler errors point at the right line of the file.
import type { ContentIssue } from './content-issue.ts';
import { parseYamlSource } from './yaml-source.ts';
import type { YamlSource } from './yaml-source.ts';

export interface SplitLesson {
  frontmatter?: YamlSource;
  body: string;
  issues: ContentIssue[];
}

const FENCE = /^---[ \t]*$/;

export function splitFrontmatter(file: string, text: string): SplitLesson {
  const lines = text.split(/\r?\n/);
  if (!FENCE.test(lines[0] ?? '')) {
    return {
      body: text,
      issues: [
        {
          file,
          line: 1,
          field: 'frontmatter',
          message: 'the lesson does not start with a frontmatter block',
          valid: 'a first line "---", YAML fields (title, summary, objectives, minutes, order, sandbox, tags), then a line "---"',
        },
      ],
    };
  }
  const end = lines.findIndex((l, i) => i > 0 && FENCE.test(l));
  if (end === -1) {
    return {
      body: '',
      issues: [
        { file, line: 1, field: 'frontmatter', message: 'the frontmatter block is never closed', valid: 'a line "---" after the last frontmatter field' },
      ],
    };
  }
  const yamlText = lines.slice(1, end).join('\n');
  const frontmatter = parseYamlSource(file, yamlText, 1, 'frontmatter');
  const body = '\n'.repeat(end + 1) + lines.slice(end + 1).join('\n');
  return { frontmatter, body, issues: frontmatter.syntaxIssues };
}
