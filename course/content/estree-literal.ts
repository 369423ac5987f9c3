// Reads the value of a JSX attribute expression when it is a plain literal ({1}, {['a','b']}, {[{at: 'x'}]}),
// so content:check can validate component props without running the lesson.
export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

interface EsNode {
  type: string;
  [key: string]: unknown;
}

const NOT_LITERAL = Symbol('not-literal');

/** The literal value of an MDX attribute expression's estree Program, or undefined when it is not a literal. */
export function literalOf(program: unknown): Literal | undefined {
  const body = (program as { body?: EsNode[] } | undefined)?.body;
  const stmt = body?.length === 1 ? body[0] : undefined;
  if (!stmt || stmt.type !== 'ExpressionStatement') return undefined;
  const v = evaluate(stmt.expression as EsNode);
  return v === NOT_LITERAL ? undefined : v;
}

function evaluate(node: EsNode): Literal | typeof NOT_LITERAL {
  switch (node.type) {
    case 'Literal': {
      const v = node.value;
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : NOT_LITERAL;
    }
    case 'TemplateLiteral': {
      const quasis = node.quasis as { value: { cooked: string } }[];
      return (node.expressions as unknown[]).length === 0 && quasis.length === 1 ? quasis[0]!.value.cooked : NOT_LITERAL;
    }
    case 'UnaryExpression': {
      const arg = evaluate(node.argument as EsNode);
      return node.operator === '-' && typeof arg === 'number' ? -arg : NOT_LITERAL;
    }
    case 'ArrayExpression': {
      const out: Literal[] = [];
      for (const el of node.elements as (EsNode | null)[]) {
        if (!el) return NOT_LITERAL;
        const v = evaluate(el);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        out.push(v);
      }
      return out;
    }
    case 'ObjectExpression': {
      const out: Record<string, Literal> = {};
      for (const prop of node.properties as EsNode[]) {
        if (prop.type !== 'Property' || prop.computed || prop.kind !== 'init') return NOT_LITERAL;
        const key = prop.key as EsNode;
        const name = key.type === 'Identifier' ? (key.name as string) : key.type === 'Literal' ? String(key.value) : undefined;
        if (name === undefined) return NOT_LITERAL;
        const v = evaluate(prop.value as EsNode);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        out[name] = v;
      }
      return out;
    }
    default:
      return NOT_LITERAL;
  }
}
