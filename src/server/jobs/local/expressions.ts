/**
 * The small part of Inngest's expression language (CEL) the local runner understands:
 *   - keys (concurrency): `event.data.connectionId`, or pieces joined with `+`
 *     (`event.data.orgId + "-" + event.data.sellerId`);
 *   - conditions (trigger `if`): comparisons with `==` / `!=` of paths and literals, joined by `&&`;
 *   - priorities (`priority.run`): a number, a path, or `<condition> ? <value> : <value>` (the
 *     else branch may chain another `?:`).
 * Anything else is refused when the runner starts, so a function never runs with a condition or
 * key silently ignored.
 */

export class UnsupportedExpressionError extends Error {
  constructor(expression: string, what: string) {
    super(`The local jobs runner cannot evaluate ${what} "${expression}"; use a path such as event.data.id, string literals, ==, != and &&.`);
    this.name = "UnsupportedExpressionError";
  }
}

type Operand = { kind: "path"; path: string[] } | { kind: "literal"; value: unknown };

const PATH = /^(event|async)(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

function parseOperand(raw: string, expression: string, what: string): Operand {
  const text = raw.trim();
  if (PATH.test(text)) return { kind: "path", path: text.split(".") };
  if (/^"(?:[^"\\]|\\.)*"$/.test(text) || /^'(?:[^'\\]|\\.)*'$/.test(text)) {
    return { kind: "literal", value: text.slice(1, -1).replace(/\\(.)/g, "$1") };
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: "literal", value: Number(text) };
  if (text === "true" || text === "false") return { kind: "literal", value: text === "true" };
  if (text === "null") return { kind: "literal", value: null };
  throw new UnsupportedExpressionError(expression, what);
}

function resolve(operand: Operand, scope: Record<string, unknown>): unknown {
  if (operand.kind === "literal") return operand.value;
  let node: unknown = scope;
  for (const key of operand.path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Splits on a separator outside string literals. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Compiles a key expression; the result maps an event to the key string. */
export function compileKey(expression: string): (event: unknown) => string {
  const operands = splitOutsideQuotes(expression, "+").map((p) => parseOperand(p, expression, "the key"));
  return (event) =>
    operands
      .map((o) => {
        const v = resolve(o, { event });
        return v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
      })
      .join("");
}

/** Compiles a condition; the result tells whether an event (and, for waits, `async`) matches it. */
export function compileCondition(expression: string): (event: unknown, asyncEvent?: unknown) => boolean {
  const clauses = splitOutsideQuotes(expression, "&&").map((clause) => {
    const eq = splitOutsideQuotes(clause, "==");
    const ne = splitOutsideQuotes(clause, "!=");
    if (eq.length === 2 && ne.length === 1) {
      const [a, b] = eq.map((p) => parseOperand(p, expression, "the condition"));
      return { a: a!, b: b!, equal: true };
    }
    if (ne.length === 2 && eq.length === 1) {
      const [a, b] = ne.map((p) => parseOperand(p, expression, "the condition"));
      return { a: a!, b: b!, equal: false };
    }
    throw new UnsupportedExpressionError(expression, "the condition");
  });
  return (event, asyncEvent) => {
    const scope = { event, async: asyncEvent };
    return clauses.every(({ a, b, equal }) => (JSON.stringify(resolve(a, scope)) === JSON.stringify(resolve(b, scope))) === equal);
  };
}

/**
 * Compiles a `priority.run` expression; the result maps an event to its factor (a number, or
 * whatever the path holds: the caller clips it, and treats a non-number as 0, as Inngest does).
 */
export function compilePriority(expression: string): (event: unknown) => unknown {
  const question = splitOutsideQuotes(expression, "?");
  if (question.length === 1) {
    const operand = parseOperand(expression, expression, "the priority");
    return (event) => resolve(operand, { event });
  }
  const [condition, ...rest] = question;
  const branches = splitOutsideQuotes(rest.join("?"), ":");
  // Only the else branch may nest (`a ? 1 : b ? 2 : 3`): a `?` in the then branch is refused.
  if (branches.length < 2 || branches[0]!.includes("?")) throw new UnsupportedExpressionError(expression, "the priority");
  const test = compileCondition(condition!);
  const then = parseOperand(branches[0]!, expression, "the priority");
  const otherwise = compilePriority(branches.slice(1).join(":"));
  return (event) => (test(event) ? resolve(then, { event }) : otherwise(event));
}
