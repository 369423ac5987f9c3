// The commands a shell script calls, with their arguments as the shell would pass them, read from shfmt's syntax
// tree (`shfmt --to-json`: mvdan/sh, the parser behind shfmt, from Debian's package). Quoting, escapes, $(…)
// nesting, pipes and heredocs are the parser's business, not a regular expression's.
import { spawnSync } from 'node:child_process';

/** What an expansion ($x, $(…), $((…))) stands for: no value is known without running the script. */
export const EXPANSION = '1';

export interface ShellCall {
  /** The arguments, the command's name first; every expansion is EXPANSION. */
  args: string[];
  /**
   * The heredoc the call reads as standard input, each expansion left empty: a manifest's `name: $app` or
   * `args: ["a"$more]` keeps its YAML shape that way, where any stand-in text could break it.
   */
  heredoc?: string;
  /** The call passes on its own arguments ("$@", "$*"): its real arguments are not in the text. */
  forwards: boolean;
  /** 1-based line in the text. */
  line: number;
}

export function shfmtAvailable(): boolean {
  return spawnSync('shfmt', ['--version'], { encoding: 'utf8' }).status === 0;
}

interface SynNode {
  Type?: string;
  Pos?: { Line: number };
  [key: string]: unknown;
}

// shfmt's RedirOperator values for `<<` and `<<-` (mvdan.cc/sh/v3/syntax, tokens.go order, as shfmt 3.x prints them).
const HEREDOC = 61;
const DASH_HEREDOC = 62;

/** Parses `text` as bash; throws with shfmt's message when it does not parse. */
export function shellCalls(text: string): ShellCall[] {
  const r = spawnSync('shfmt', ['-ln', 'bash', '--to-json'], { input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`shfmt cannot parse it: ${r.stderr.trim()}`);
  const calls: ShellCall[] = [];
  visit(JSON.parse(r.stdout) as SynNode, (node) => {
    const cmd = node.Cmd as SynNode | undefined;
    if (cmd?.Type !== 'CallExpr' || !Array.isArray(cmd.Args) || cmd.Args.length === 0) return;
    const words = cmd.Args as SynNode[];
    const redirs = (node.Redirs as SynNode[] | undefined) ?? [];
    const doc = redirs.find((r) => (r.Op === HEREDOC || r.Op === DASH_HEREDOC) && r.Hdoc);
    let heredoc: string | undefined;
    if (doc) {
      // <<'EOF' (any quoting of the delimiter) keeps the body as written; <<EOF expands it.
      const quoted = ((doc.Word as SynNode).Parts as SynNode[]).some((p) => p.Type !== 'Lit' || String(p.Value).includes('\\'));
      heredoc = wordText(doc.Hdoc as SynNode, quoted ? 'raw' : 'heredoc', '');
      if (doc.Op === DASH_HEREDOC) heredoc = heredoc.replace(/^\t+/gm, '');
    }
    calls.push({
      args: words.map((w) => wordText(w, 'unquoted', EXPANSION)),
      heredoc,
      forwards: words.some(forwardsArguments),
      line: cmd.Pos?.Line ?? 0,
    });
  });
  return calls;
}

/** Every object in the tree, statements included (a Stmt holds the Cmd and its redirections). */
function visit(node: unknown, at: (n: SynNode) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) visit(n, at);
    return;
  }
  if (!node || typeof node !== 'object') return;
  at(node as SynNode);
  for (const [key, value] of Object.entries(node)) if (key !== 'Pos' && key !== 'End') visit(value, at);
}

/** Where a word's text stands, which decides what a backslash does. */
type Quoting = 'unquoted' | 'double' | 'heredoc' | 'raw';

function wordText(word: SynNode, quoting: Quoting, expansion: string): string {
  return ((word.Parts as SynNode[] | undefined) ?? []).map((p) => partText(p, quoting, expansion)).join('');
}

function partText(part: SynNode, quoting: Quoting, expansion: string): string {
  switch (part.Type) {
    case 'Lit':
      return unescape(String(part.Value), quoting);
    case 'SglQuoted':
      return String(part.Value);
    case 'DblQuoted':
      return wordText(part, 'double', expansion);
    default:
      // ParamExp, CmdSubst, ArithmExp, ProcSubst: a value only a run would know.
      return expansion;
  }
}

/**
 * bash's quote removal of backslashes: unquoted, `\x` is x; in double quotes only \$ \` \" \\ lose theirs; in an
 * expanding heredoc only \$ \` \\ (a `\"` stays, as YAML's escaped quote does); a quoted heredoc keeps them all.
 */
function unescape(lit: string, quoting: Quoting): string {
  if (quoting === 'raw') return lit;
  if (quoting === 'double') return lit.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
  if (quoting === 'heredoc') return lit.replace(/\\\n/g, '').replace(/\\([$`\\])/g, '$1');
  return lit.replace(/\\\n/g, '').replace(/\\(.)/g, '$1');
}

function forwardsArguments(word: SynNode): boolean {
  let found = false;
  visit(word, (n) => {
    if (n.Type !== 'ParamExp') return;
    const name = (n.Param as { Value?: string } | undefined)?.Value;
    if (name === '@' || name === '*') found = true;
  });
  return found;
}
