/**
 * Hand-written recursive-descent parser for DynamoDB's three expression grammars, producing the raw AST of ast.ts
 * (placeholders unresolved). The grammar is DynamoDB's own:
 *
 *   condition  := operand comparator operand | operand IN '(' operand (',' operand)* ')'
 *               | operand BETWEEN operand AND operand | function | '(' condition ')'
 *               | NOT condition | condition AND condition | condition OR condition
 *                 (precedence in that order, AND/OR right-associative)
 *   update     := (SET set_action (',' set_action)* | REMOVE path (',' path)*
 *               | ADD path :value (',' ...)* | DELETE path :value (',' ...)*)+
 *   set_action := path '=' set_value;   set_value := operand | arithmetic
 *   arithmetic := operand ('+' | '-') operand | '(' arithmetic ')'
 *   operand    := path | :value | function | '(' operand ')'
 *   function   := name '(' operand (',' operand)* ')'
 *   projection := path (',' path)*
 *   path       := (name | #name) ('.' (name | #name) | '[' index ']')*
 *
 * Errors mirror DynamoDB's (an ANTLR-generated parser):
 * - A syntax error names the first token at which the text stops being the prefix of any valid expression, and
 *   `near` is the original text from the start of the token before it to the end of the token after it
 *   (`SET a = b c d` -> token "c", near "b c d"; at the end: `a,` -> token "<EOF>", near ",").
 * - Doubled parentheses (`((a = b))`, `((a)) = b`) throw "The expression has redundant parentheses;" as soon as the
 *   parser commits to them, i.e. before syntax errors further right. Where DynamoDB still needs the next token to
 *   decide what a parenthesised operand is, the decision (and so the error) waits for that token.
 * Everything else (function names, placeholders, types...) is checked by the validation passes on the tree.
 */
import type {
  ComparisonOperator,
  ConditionNode,
  FunctionCallNode,
  OperandNode,
  PathElement,
  PathNode,
  ProjectionExpressionNode,
  UpdateActionNode,
  UpdateExpressionNode,
  ValuePlaceholderNode,
} from './ast.js';
import { expressionError, type ExpressionKind } from './expression-kind.js';
import { tokenize, type Token } from './lexer.js';

const REDUNDANT_PARENTHESES = 'The expression has redundant parentheses;';

/** An operand together with the number of parentheses directly around it (`((a))` has 2). */
interface Wrapped<T> {
  readonly node: T;
  readonly parens: number;
}

type CondOrOperand = { readonly cond: ConditionNode } | { readonly operand: Wrapped<OperandNode> };

const COMPARATORS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);

/**
 * The largest list index DynamoDB takes in a document path (2^32 - 2, as observed); a larger one is refused with
 * its own message rather than read as an element past the end.
 */
const MAX_LIST_INDEX = 4294967294;

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly kind: ExpressionKind,
  ) {
    this.tokens = tokenize(text);
  }

  // ---- token helpers ---------------------------------------------------------------------------------------

  private peek(): Token {
    // The EOF token is always last and never consumed past, so the index is always valid.
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'EOF') this.pos++;
    return token;
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.kind === 'Punct' && token.value === value;
  }

  private isKeyword(value: string): boolean {
    const token = this.peek();
    return token.kind === 'Keyword' && token.value === value;
  }

  private expectPunct(value: string): Token {
    if (!this.isPunct(value)) throw this.syntaxError();
    return this.next();
  }

  /** The syntax error at the current token, worded and located as DynamoDB does. */
  syntaxError(): Error {
    const index = this.pos;
    const token = this.tokens[index] as Token;
    const before = index > 0 ? this.tokens[index - 1] : undefined;
    const after = token.kind === 'EOF' ? undefined : this.tokens[index + 1];
    const near = this.text.slice(before ? before.start : token.start, after ? after.end : token.end);
    return expressionError(this.kind, `Syntax error; token: "${token.text}", near: "${near}"`);
  }

  private redundant(): Error {
    return expressionError(this.kind, REDUNDANT_PARENTHESES);
  }

  private expectEnd(): void {
    if (this.peek().kind !== 'EOF') throw this.syntaxError();
  }

  // ---- paths and operands ------------------------------------------------------------------------------------

  private parsePath(): PathNode {
    const first = this.peek();
    const elements: PathElement[] = [];
    elements.push(this.parsePathName());
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        elements.push(this.parsePathName());
      } else if (this.isPunct('[')) {
        this.next();
        const index = this.peek();
        if (index.kind !== 'Index') throw this.syntaxError();
        this.next();
        this.expectPunct(']');
        const value = Number(index.text);
        if (index.text.length > 10 || value > MAX_LIST_INDEX) {
          throw expressionError(this.kind, `List index is not within the allowable range; index: [${index.text}]`);
        }
        elements.push({ kind: 'ListIndex', index: value });
      } else {
        return { kind: 'Path', elements, pos: first.start };
      }
    }
  }

  private parsePathName(): PathElement {
    const token = this.peek();
    if (token.kind === 'Name') {
      this.next();
      return { kind: 'AttributeName', name: token.text };
    }
    if (token.kind === 'NamePlaceholder') {
      this.next();
      return { kind: 'NamePlaceholder', placeholder: token.text };
    }
    throw this.syntaxError();
  }

  /** path | :value | function, without surrounding parentheses. */
  private parseBareOperand(): OperandNode {
    const token = this.peek();
    if (token.kind === 'ValuePlaceholder') {
      this.next();
      const node: ValuePlaceholderNode = { kind: 'ValuePlaceholder', placeholder: token.text, pos: token.start };
      return node;
    }
    if (token.kind === 'Name') {
      const following = this.tokens[this.pos + 1];
      if (following && following.kind === 'Punct' && following.value === '(') return this.parseFunction();
      return this.parsePath();
    }
    if (token.kind === 'NamePlaceholder') return this.parsePath();
    throw this.syntaxError();
  }

  private parseFunction(): FunctionCallNode {
    const name = this.next();
    this.expectPunct('(');
    const args: OperandNode[] = [this.parseOperand()];
    while (this.isPunct(',')) {
      this.next();
      args.push(this.parseOperand());
    }
    this.expectPunct(')');
    return { kind: 'FunctionCall', name: name.text, args, pos: name.start };
  }

  /**
   * An operand where nothing but an operand may stand (function arguments, right of a comparator, BETWEEN
   * bounds, IN lists): doubled parentheses are reported as soon as they close.
   */
  private parseOperand(): OperandNode {
    if (!this.isPunct('(')) return this.parseBareOperand();
    this.next();
    const inner = this.parseWrappedOperand();
    this.expectPunct(')');
    if (inner.parens > 0) throw this.redundant();
    return inner.node;
  }

  private parseWrappedOperand(): Wrapped<OperandNode> {
    if (!this.isPunct('(')) return { node: this.parseBareOperand(), parens: 0 };
    this.next();
    const inner = this.parseWrappedOperand();
    this.expectPunct(')');
    if (inner.parens > 0) throw this.redundant();
    return { node: inner.node, parens: 1 };
  }

  // ---- conditions ----------------------------------------------------------------------------------------------

  parseConditionExpression(): ConditionNode {
    const result = this.parseOr(false);
    if (!('cond' in result)) throw this.syntaxError();
    this.expectEnd();
    return result.cond;
  }

  /**
   * `allowOperand` is set directly inside a parenthesis, where `(` may open either a grouped condition or a
   * parenthesised operand (`(a) = b`): a bare operand is then handed back to the caller to decide.
   */
  private parseOr(allowOperand: boolean): CondOrOperand {
    const left = this.parseAnd(allowOperand);
    if (!('cond' in left) || !this.isKeyword('OR')) return left;
    const or = this.next();
    const right = this.parseOr(false);
    if (!('cond' in right)) throw this.syntaxError();
    return { cond: { kind: 'Or', left: left.cond, right: right.cond, pos: or.start } };
  }

  private parseAnd(allowOperand: boolean): CondOrOperand {
    const left = this.parseNot(allowOperand);
    if (!('cond' in left) || !this.isKeyword('AND')) return left;
    const and = this.next();
    const right = this.parseAnd(false);
    if (!('cond' in right)) throw this.syntaxError();
    return { cond: { kind: 'And', left: left.cond, right: right.cond, pos: and.start } };
  }

  private parseNot(allowOperand: boolean): CondOrOperand {
    if (!this.isKeyword('NOT')) return this.parsePrimary(allowOperand);
    const not = this.next();
    const operand = this.parseNot(false);
    if (!('cond' in operand)) throw this.syntaxError();
    return { cond: { kind: 'Not', operand: operand.cond, pos: not.start } };
  }

  private parsePrimary(allowOperand: boolean): CondOrOperand {
    const start = this.peek();
    let atom: CondOrOperand;
    if (start.kind === 'Punct' && start.value === '(') {
      this.next();
      const inner = this.parseOr(true);
      this.expectPunct(')');
      if ('cond' in inner) {
        // `((a = b))`: DynamoDB rejects a grouping whose only content is another grouping.
        if (inner.cond.kind === 'Parentheses') throw this.redundant();
        return { cond: { kind: 'Parentheses', inner: inner.cond, pos: start.start } };
      }
      atom = { operand: { node: inner.operand.node, parens: inner.operand.parens + 1 } };
    } else {
      atom = { operand: { node: this.parseBareOperand(), parens: 0 } };
    }
    if (!('operand' in atom)) return atom;
    const left = atom.operand;
    const token = this.peek();
    if (token.kind === 'Punct' && COMPARATORS.has(token.value)) {
      if (left.parens > 1) throw this.redundant();
      this.next();
      const right = this.parseOperand();
      return {
        cond: {
          kind: 'Comparison',
          operator: token.value as ComparisonOperator,
          left: left.node,
          right,
          pos: operandPos(left.node),
        },
      };
    }
    if (token.kind === 'Keyword' && token.value === 'BETWEEN') {
      if (left.parens > 1) throw this.redundant();
      this.next();
      const low = this.parseOperand();
      if (!this.isKeyword('AND')) throw this.syntaxError();
      this.next();
      const high = this.parseOperand();
      return { cond: { kind: 'Between', operand: left.node, low, high, pos: operandPos(left.node) } };
    }
    if (token.kind === 'Keyword' && token.value === 'IN') {
      if (left.parens > 1) throw this.redundant();
      this.next();
      this.expectPunct('(');
      const list: OperandNode[] = [this.parseOperand()];
      while (this.isPunct(',')) {
        this.next();
        list.push(this.parseOperand());
      }
      this.expectPunct(')');
      return { cond: { kind: 'In', operand: left.node, list, pos: operandPos(left.node) } };
    }
    // Inside a parenthesis an operand goes back to the caller, unless it is a function call already
    // continued by AND / OR, which makes it a condition.
    const continued = token.kind === 'Keyword' && (token.value === 'AND' || token.value === 'OR');
    if (allowOperand && !(continued && left.node.kind === 'FunctionCall')) return atom;
    if (left.node.kind === 'FunctionCall' && isConditionFollower(token)) {
      // A function call standing as a condition; its parentheses were groupings after all.
      if (left.parens > 1) throw this.redundant();
      let cond: ConditionNode = { kind: 'ConditionFunction', call: left.node, pos: left.node.pos };
      if (left.parens === 1) cond = { kind: 'Parentheses', inner: cond, pos: start.start };
      return { cond };
    }
    throw this.syntaxError();
  }

  // ---- update expressions --------------------------------------------------------------------------------------

  parseUpdateExpression(): ParsedUpdate {
    const actions: UpdateActionNode[] = [];
    const seen = new Set<string>();
    let duplicateClause: string | undefined;
    do {
      const clause = this.peek();
      if (clause.kind !== 'Keyword') throw this.syntaxError();
      if (isClauseKeyword(clause)) {
        if (seen.has(clause.value)) duplicateClause ??= clause.value;
        seen.add(clause.value);
      }
      switch (clause.value) {
        case 'SET':
          this.next();
          this.parseList(() => actions.push(this.parseSetAction()));
          break;
        case 'REMOVE':
          this.next();
          this.parseList(() => {
            const path = this.parsePath();
            actions.push({ kind: 'RemoveAction', path, pos: path.pos });
          });
          break;
        case 'ADD':
        case 'DELETE': {
          this.next();
          const kind = clause.value === 'ADD' ? 'AddAction' : 'DeleteAction';
          this.parseList(() => {
            const path = this.parsePath();
            const token = this.peek();
            if (token.kind !== 'ValuePlaceholder') throw this.syntaxError();
            this.next();
            const value: ValuePlaceholderNode = { kind: 'ValuePlaceholder', placeholder: token.text, pos: token.start };
            actions.push({ kind, path, value, pos: path.pos });
          });
          break;
        }
        default:
          throw this.syntaxError();
      }
    } while (this.peek().kind !== 'EOF');
    return { node: { kind: 'UpdateExpression', actions }, duplicateClause };
  }

  private parseList(item: () => void): void {
    item();
    while (this.isPunct(',')) {
      this.next();
      item();
    }
  }

  private parseSetAction(): UpdateActionNode {
    const path = this.parsePath();
    this.expectPunct('=');
    const value = this.parseSetValue();
    // DynamoDB only decides between "operand" and "arithmetic" once it sees what follows the value.
    const token = this.peek();
    const follows = token.kind === 'EOF' || (token.kind === 'Punct' && token.value === ',') || isClauseKeyword(token);
    if (!follows) throw this.syntaxError();
    if (value.parens > 1) throw this.redundant();
    return { kind: 'SetAction', path, value: value.node, pos: path.pos };
  }

  private parseSetValue(): Wrapped<OperandNode> {
    let left: Wrapped<OperandNode>;
    if (this.isPunct('(')) {
      this.next();
      const inner = this.parseSetValue();
      this.expectPunct(')');
      // `((a + b))`: an arithmetic grouping inside another is redundant as soon as it closes.
      if (inner.node.kind === 'Arithmetic' && inner.parens > 0) throw this.redundant();
      left = { node: inner.node, parens: inner.parens + 1 };
      if (inner.node.kind === 'Arithmetic') return left;
    } else {
      left = { node: this.parseBareOperand(), parens: 0 };
    }
    const token = this.peek();
    if (token.kind === 'Punct' && (token.value === '+' || token.value === '-')) {
      if (left.parens > 1) throw this.redundant();
      this.next();
      const right = this.parseOperand();
      return {
        node: { kind: 'Arithmetic', operator: token.value, left: left.node, right, pos: operandPos(left.node) },
        parens: 0,
      };
    }
    return left;
  }

  // ---- projection expressions ------------------------------------------------------------------------------------

  parseProjectionExpression(): ProjectionExpressionNode {
    const paths: PathNode[] = [];
    this.parseList(() => paths.push(this.parsePath()));
    this.expectEnd();
    return { kind: 'ProjectionExpression', paths };
  }
}

function operandPos(node: OperandNode): number {
  return node.pos;
}

function isClauseKeyword(token: Token): boolean {
  return (
    token.kind === 'Keyword' &&
    (token.value === 'SET' || token.value === 'REMOVE' || token.value === 'ADD' || token.value === 'DELETE')
  );
}

/** Tokens that may follow a complete condition. */
function isConditionFollower(token: Token): boolean {
  if (token.kind === 'EOF') return true;
  if (token.kind === 'Punct') return token.value === ')';
  return token.kind === 'Keyword' && (token.value === 'AND' || token.value === 'OR');
}

/** The empty expression (or one of only whitespace) has its own message. */
function checkNotEmpty(text: string, kind: ExpressionKind): void {
  if (/^[ \t\r\n]*$/.test(text)) {
    throw expressionError(kind, 'The expression can not be empty;');
  }
}

/**
 * Cairn's own answer (DynamoDB's is not known) when nesting is so deep that the recursive descent would exhaust
 * the stack: within the 4 KB limit only thousands of parentheses or function calls can do that, and none of
 * those expressions would pass DynamoDB's redundant-parentheses rule anyway. Catching the RangeError keeps the
 * normal path free of depth bookkeeping.
 */
export const TOO_DEEP_MESSAGE = 'The expression has too many nested levels;';

function guarded<T>(kind: ExpressionKind, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof RangeError) throw expressionError(kind, TOO_DEEP_MESSAGE);
    throw error;
  }
}

/** Parses a ConditionExpression, FilterExpression or KeyConditionExpression. Throws a ValidationException. */
export function parseCondition(text: string, kind: ExpressionKind): ConditionNode {
  checkNotEmpty(text, kind);
  return guarded(kind, () => new Parser(text, kind).parseConditionExpression());
}

/**
 * A parsed UpdateExpression, with the first clause keyword written twice: the tree keeps only the actions, and
 * DynamoDB reports a repeated clause only after some other errors (see validate-update.ts).
 */
export interface ParsedUpdate {
  readonly node: UpdateExpressionNode;
  readonly duplicateClause: string | undefined;
}

/** Parses an UpdateExpression. Throws a ValidationException. */
export function parseUpdate(text: string): ParsedUpdate {
  checkNotEmpty(text, 'UpdateExpression');
  return guarded('UpdateExpression', () => new Parser(text, 'UpdateExpression').parseUpdateExpression());
}

/** Parses a ProjectionExpression. Throws a ValidationException. */
export function parseProjection(text: string): ProjectionExpressionNode {
  checkNotEmpty(text, 'ProjectionExpression');
  return guarded('ProjectionExpression', () => new Parser(text, 'ProjectionExpression').parseProjectionExpression());
}
