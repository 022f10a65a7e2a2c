/**
 * Hand-written recursive-descent parser for DynamoDB's PartiQL dialect, producing the tree of ast.ts. The grammar
 * and its error messages follow partiql-lang-kotlin's parser, from which DynamoDB's derives:
 *
 *   statement := expr [';'] EOF                      (anything left: "Unexpected token after expression")
 *   expr      := precedence climbing, loosest first:
 *                OR < AND < NOT (prefix) < = <> != IS IN LIKE BETWEEN < < <= > >= < || < + - < * / % < unary + -
 *                (binary operators left-associative)
 *   term      := literal | ? | name | name '(' args ')' | '(' expr ')' | '(' expr, ... ')' | [..] | <<..>> | {..}
 *              | SELECT ... | INSERT INTO ... | UPDATE ... | DELETE FROM ... | FROM ... (DML)
 *              followed by path steps: '.' name | '.' '*' | '[' expr ']' | '[' '*' ']'
 *   select    := SELECT [DISTINCT|ALL] (VALUE expr | '*' | item (',' item)*) FROM source (',' source)*
 *                [WHERE expr] [GROUP BY expr, ...] [HAVING expr] [ORDER BY expr [ASC|DESC] (',' ...)*]
 *                [LIMIT expr] [OFFSET expr]      (GROUP BY, HAVING, LIMIT, OFFSET are kept for the compiler to refuse)
 *   insert    := INSERT INTO simple_path (VALUE expr [AT expr] [ON CONFLICT [WHERE expr] DO action] [returning]
 *              | expr)
 *   update    := UPDATE simple_path [alias] dml_op+ [WHERE expr] [returning]
 *              | FROM source [WHERE expr] dml_op+ [returning]
 *   delete    := DELETE FROM simple_path [alias] [WHERE expr] [returning]
 *   dml_op    := SET simple_path '=' expr (',' simple_path '=' expr)* | REMOVE simple_path
 *   simple_path := name ('.' name | '[' literal ']')*
 *   returning := RETURNING (MODIFIED|ALL) (OLD|NEW) '*'
 *
 * Errors: see messages.ts. The first error met left to right wins, as in DynamoDB's parser; afterwards one check on
 * the tree refuses aliases ("Aliasing is not supported"), which DynamoDB reports only for a statement that parses.
 * Nesting is bounded so that hostile input fails with a ValidationException rather than a stack overflow.
 */
import type {
  Expr,
  Identifier,
  OrderByItem,
  ParsedStatement,
  Path,
  PathStep,
  ProjectionItem,
  Returning,
  SelectStatement,
  Statement,
  TableRef,
  TupleField,
  UpdateAction,
  DataStatement,
} from './ast.js';
import { FUNCTION_KEYWORDS, TWO_WORD_TYPES, TYPE_NAMES } from './keywords.js';
import { tokenize, type Token } from './lexer.js';
import { notWellFormed, REFUSED, SYNTAX } from './messages.js';
import { validationError } from '../errors.js';

/** Binding power of each infix operator (higher binds tighter). */
const INFIX: ReadonlyMap<string, number> = new Map([
  ['or', 10],
  ['and', 20],
  ['=', 40], ['<>', 40], ['!=', 40], ['is', 40], ['in', 40], ['like', 40], ['between', 40],
  ['<', 50], ['<=', 50], ['>', 50], ['>=', 50],
  ['||', 60],
  ['+', 70], ['-', 70],
  ['*', 80], ['/', 80], ['%', 80],
]);
const NOT_POWER = 30;
const UNARY_POWER = 90;

/** Tokens the lexer gives that are operators: where an operand should start they are "Unexpected operator". */
const OPERATOR_PUNCT: ReadonlySet<string> = new Set(['=', '<>', '!=', '<', '<=', '>', '>=', '||', '*', '/', '%']);
const OPERATOR_KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'is', 'in', 'like', 'between']);

/** Deep enough for any real statement, shallow enough for Node's default stack. */
const MAX_DEPTH = 200;

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private get tok(): Token {
    return this.tokens[this.i] ?? (this.tokens[this.tokens.length - 1] as Token);
  }
  private peek(k = 1): Token {
    return this.tokens[this.i + k] ?? (this.tokens[this.tokens.length - 1] as Token);
  }
  private next(): Token {
    const t = this.tok;
    if (t.kind !== 'EOF') this.i++;
    return t;
  }
  private isKeyword(word: string, t: Token = this.tok): boolean {
    return t.kind === 'Keyword' && t.value === word;
  }
  private isPunct(p: string, t: Token = this.tok): boolean {
    return t.kind === 'Punct' && t.value === p;
  }
  /** A word matched in context whether reserved or not (RETURNING, MODIFIED, NEW, OLD). */
  private isWord(word: string, t: Token = this.tok): boolean {
    return (t.kind === 'Keyword' || t.kind === 'Identifier') && t.value.toLowerCase() === word;
  }
  private expectPunct(p: string, type: string): Token {
    if (!this.isPunct(p)) throw notWellFormed(SYNTAX.expectedToken(type));
    return this.next();
  }
  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) throw notWellFormed(SYNTAX.expectedKeyword(word));
    return this.next();
  }
  /** `;` then EOF also ends a statement. */
  private atEnd(): boolean {
    return this.tok.kind === 'EOF' || (this.isPunct(';') && this.peek().kind === 'EOF');
  }

  parseStatement(): Statement {
    const expr = this.parseExpr(0);
    if (this.isPunct(';')) this.next();
    if (this.tok.kind !== 'EOF') throw notWellFormed(SYNTAX.leftover);
    if (expr.kind === 'Subquery') return expr.statement;
    if (
      expr.kind === 'Call' &&
      expr.name === 'exists' &&
      expr.args.length === 1 &&
      expr.args[0]?.kind === 'Subquery' &&
      expr.args[0].statement.kind === 'Select'
    ) {
      return { kind: 'Exists', select: expr.args[0].statement, pos: expr.pos, end: expr.end };
    }
    return { kind: 'Expression', expr, pos: expr.pos, end: expr.end };
  }

  // ------------------------------------------------------------ expressions

  parseExpr(minPower: number): Expr {
    if (++this.depth > MAX_DEPTH) throw notWellFormed(SYNTAX.tooDeep);
    try {
      let left = this.parsePrefix();
      for (;;) {
        const t = this.tok;
        let op = t.kind === 'Punct' || t.kind === 'Keyword' ? t.value : '';
        let negated = false;
        if (op === 'not' && ['in', 'like', 'between'].includes(this.peek().value) && this.peek().kind === 'Keyword') {
          negated = true;
          op = this.peek().value;
        }
        const power = INFIX.get(op);
        if (power === undefined || power <= minPower) return left;
        this.next();
        if (negated) this.next();
        left = this.parseInfix(left, op, power, negated);
      }
    } finally {
      this.depth--;
    }
  }

  /** The right-hand operand of an infix operator: nothing there is DynamoDB's "Missing right-hand side ...". */
  private rightOperand(power: number): Expr {
    if (this.atEnd()) throw notWellFormed(SYNTAX.missingRightHandSide);
    return this.parseExpr(power);
  }

  private parseInfix(left: Expr, op: string, power: number, negated: boolean): Expr {
    const pos = left.pos;
    switch (op) {
      case 'or':
      case 'and': {
        const right = this.rightOperand(power);
        return { kind: op === 'or' ? 'Or' : 'And', left, right, pos, end: right.end };
      }
      case '=':
      case '<>':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const right = this.rightOperand(power);
        return { kind: 'Comparison', op, left, right, pos, end: right.end };
      }
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        const right = this.rightOperand(power);
        return { kind: 'Arithmetic', op, left, right, pos, end: right.end };
      }
      case '||': {
        const right = this.rightOperand(power);
        return { kind: 'Concat', left, right, pos, end: right.end };
      }
      case 'is': {
        const not = this.isKeyword('not');
        if (not) this.next();
        const t = this.tok;
        if (t.kind !== 'Keyword' || !TYPE_NAMES.has(t.value)) throw notWellFormed(SYNTAX.typeName);
        this.next();
        let type = t.value;
        let end = t.end;
        const second = TWO_WORD_TYPES.get(type);
        if (second !== undefined && this.isKeyword(second)) {
          end = this.next().end;
          type = `${type} ${second}`;
        }
        return { kind: 'Is', negated: not, value: left, type, pos, end };
      }
      case 'in': {
        if (this.atEnd()) throw notWellFormed(SYNTAX.missingRightHandSide);
        let list: Expr;
        if (this.isPunct('(')) {
          const open = this.next();
          if (this.isPunct(')')) throw notWellFormed(SYNTAX.emptyGroup);
          const items = this.parseExprList();
          const close = this.expectPunct(')', 'RIGHT_PAREN');
          list = { kind: 'List', items, parenthesised: true, pos: open.start, end: close.end };
        } else {
          list = this.parseExpr(power);
        }
        return { kind: 'In', negated, value: left, list, pos, end: list.end };
      }
      case 'like': {
        const pattern = this.rightOperand(power);
        let escape: Expr | undefined;
        if (this.isKeyword('escape')) {
          this.next();
          escape = this.rightOperand(power);
        }
        const end = (escape ?? pattern).end;
        return escape
          ? { kind: 'Like', negated, value: left, pattern, escape, pos, end }
          : { kind: 'Like', negated, value: left, pattern, pos, end };
      }
      case 'between': {
        const low = this.rightOperand(power);
        this.expectKeyword('and');
        const high = this.rightOperand(power);
        return { kind: 'Between', negated, value: left, low, high, pos, end: high.end };
      }
      default:
        throw notWellFormed(SYNTAX.leftover);
    }
  }

  private parsePrefix(): Expr {
    const t = this.tok;
    if (this.isKeyword('not')) {
      this.next();
      if (this.atEnd()) throw notWellFormed(SYNTAX.unexpectedTerm);
      const operand = this.parseExpr(NOT_POWER);
      return { kind: 'Not', operand, pos: t.start, end: operand.end };
    }
    if (this.isPunct('-') || this.isPunct('+')) {
      this.next();
      const operand = this.parseExpr(UNARY_POWER);
      return { kind: 'Unary', op: t.value as '-' | '+', operand, pos: t.start, end: operand.end };
    }
    return this.parsePathSteps(this.parseTerm(), false);
  }

  private parseExprList(): Expr[] {
    const items = [this.parseExpr(0)];
    while (this.isPunct(',')) {
      this.next();
      items.push(this.parseExpr(0));
    }
    return items;
  }

  private identifier(t: Token): Identifier {
    return { kind: 'Identifier', name: t.value, quoted: t.kind === 'QuotedIdentifier', pos: t.start, end: t.end };
  }

  private parseTerm(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'EOF':
        throw notWellFormed(SYNTAX.unexpectedTerm);
      case 'String':
        this.next();
        return { kind: 'String', value: t.value, pos: t.start, end: t.end };
      case 'Number':
        this.next();
        return { kind: 'Number', text: t.text, pos: t.start, end: t.end };
      case 'Ion':
        this.next();
        return { kind: 'Ion', text: t.value, pos: t.start, end: t.end };
      case 'Parameter':
        this.next();
        return { kind: 'Parameter', index: Number(t.value), pos: t.start, end: t.end };
      case 'Identifier':
      case 'QuotedIdentifier':
        this.next();
        if (this.isPunct('(')) return this.parseCall(this.identifier(t), t.value.toLowerCase());
        return this.identifier(t);
      case 'Keyword':
        return this.parseKeywordTerm(t);
      case 'Punct':
        break;
    }
    switch (t.value) {
      case '(': {
        this.next();
        if (this.isPunct(')')) throw notWellFormed(SYNTAX.emptyGroup);
        const items = this.parseExprList();
        const close = this.expectPunct(')', 'RIGHT_PAREN');
        if (items.length === 1) return items[0] as Expr;
        return { kind: 'List', items, parenthesised: true, pos: t.start, end: close.end };
      }
      case '[': {
        this.next();
        const items = this.isPunct(']') ? [] : this.parseExprList();
        const close = this.expectPunct(']', 'RIGHT_BRACKET');
        return { kind: 'List', items, parenthesised: false, pos: t.start, end: close.end };
      }
      case '<<': {
        this.next();
        const items = this.isPunct('>>') ? [] : this.parseExprList();
        const close = this.expectPunct('>>', 'RIGHT_DOUBLE_ANGLE_BRACKET');
        return { kind: 'Bag', items, pos: t.start, end: close.end };
      }
      case '{': {
        this.next();
        const fields: TupleField[] = [];
        if (!this.isPunct('}')) {
          for (;;) {
            const key = this.parseExpr(0);
            this.expectPunct(':', 'COLON');
            const value = this.parseExpr(0);
            fields.push({ kind: 'TupleField', key, value, pos: key.pos, end: value.end });
            if (!this.isPunct(',')) break;
            this.next();
          }
        }
        const close = this.expectPunct('}', 'RIGHT_CURLY');
        return { kind: 'Tuple', fields, pos: t.start, end: close.end };
      }
    }
    if (OPERATOR_PUNCT.has(t.value)) throw notWellFormed(SYNTAX.unexpectedOperator);
    throw notWellFormed(SYNTAX.unexpectedTerm);
  }

  private parseKeywordTerm(t: Token): Expr {
    const word = t.value;
    switch (word) {
      case 'true':
      case 'false':
        this.next();
        return { kind: 'Boolean', value: word === 'true', pos: t.start, end: t.end };
      case 'null':
        this.next();
        return { kind: 'Null', pos: t.start, end: t.end };
      case 'missing':
        this.next();
        return { kind: 'Missing', pos: t.start, end: t.end };
      case 'select':
        return this.subquery(this.parseSelect());
      case 'insert':
        if (this.isKeyword('into', this.peek())) return this.subquery(this.parseInsert());
        break;
      case 'update':
        return this.subquery(this.parseUpdate());
      case 'delete':
        return this.subquery(this.parseDelete());
      case 'from':
        return this.subquery(this.parseFromFirst());
    }
    if (OPERATOR_KEYWORDS.has(word)) throw notWellFormed(SYNTAX.unexpectedOperator);
    if (FUNCTION_KEYWORDS.has(word) && this.isPunct('(', this.peek())) {
      this.next();
      return this.parseCall(this.identifier(t), word);
    }
    throw notWellFormed(SYNTAX.unexpectedKeyword);
  }

  private subquery(statement: DataStatement): Expr {
    return { kind: 'Subquery', statement, pos: statement.pos, end: statement.end };
  }

  /** After `name`, at `(`. */
  private parseCall(nameToken: Identifier, name: string): Expr {
    this.next();
    const args: Expr[] = [];
    if (this.isPunct('*') && this.isPunct(')', this.peek())) {
      const star = this.next();
      args.push({ kind: 'Star', pos: star.start, end: star.end });
    } else if (!this.isPunct(')')) {
      args.push(...this.parseExprList());
    }
    const close = this.expectPunct(')', 'RIGHT_PAREN');
    return { kind: 'Call', name, nameToken, args, pos: nameToken.pos, end: close.end };
  }

  /** Path steps after a term; in a simple path (a DML target) only names and literal indexes may follow. */
  private parsePathSteps(root: Expr, simple: boolean): Expr {
    const steps: PathStep[] = [];
    for (;;) {
      const t = this.tok;
      if (this.isPunct('.')) {
        this.next();
        const n = this.tok;
        if (n.kind === 'Identifier' || n.kind === 'QuotedIdentifier') {
          this.next();
          steps.push({ kind: 'Field', name: this.identifier(n), pos: t.start, end: n.end });
        } else if (this.isPunct('*')) {
          if (simple) throw notWellFormed(SYNTAX.simplePathDot);
          this.next();
          steps.push({ kind: 'Unpivot', pos: t.start, end: n.end });
        } else {
          throw notWellFormed(SYNTAX.pathDot);
        }
      } else if (this.isPunct('[')) {
        this.next();
        if (this.isPunct('*')) {
          this.next();
          const close = this.expectPunct(']', 'RIGHT_BRACKET');
          steps.push({ kind: 'Wildcard', pos: t.start, end: close.end });
          continue;
        }
        const index = this.parseExpr(0);
        this.expectPunct(']', 'RIGHT_BRACKET');
        const close = this.tokens[this.i - 1] as Token;
        if (simple && index.kind !== 'Number' && index.kind !== 'String' && index.kind !== 'Identifier') {
          throw notWellFormed(SYNTAX.simplePathComponent);
        }
        steps.push({ kind: 'Index', index, pos: t.start, end: close.end });
      } else {
        break;
      }
    }
    if (steps.length === 0) return root;
    const end = (steps[steps.length - 1] as PathStep).end;
    if (root.kind === 'Identifier') return { kind: 'Path', root, steps, pos: root.pos, end };
    return { kind: 'PathOver', root, steps, pos: root.pos, end };
  }

  /** A DML target: a name and optional steps, nothing else ("Expected identifier for simple path"). */
  private parseSimplePath(): Identifier | Path {
    const t = this.tok;
    if (t.kind !== 'Identifier' && t.kind !== 'QuotedIdentifier') throw notWellFormed(SYNTAX.simplePath);
    this.next();
    // Steps over an identifier root always make a Path (see parsePathSteps).
    return this.parsePathSteps(this.identifier(t), true) as Identifier | Path;
  }

  /** `AS x` or a bare `x` after a source. */
  private parseAlias(): Identifier | undefined {
    if (this.isKeyword('as')) {
      this.next();
      const t = this.tok;
      if (t.kind !== 'Identifier' && t.kind !== 'QuotedIdentifier') throw notWellFormed(SYNTAX.expectedToken('IDENTIFIER'));
      this.next();
      return this.identifier(t);
    }
    const t = this.tok;
    // A bare word that is not a contextual keyword of what may follow.
    if ((t.kind === 'Identifier' && !this.isWord('returning')) || t.kind === 'QuotedIdentifier') {
      this.next();
      return this.identifier(t);
    }
    return undefined;
  }

  private tableRef(source: Expr, alias: Identifier | undefined): TableRef {
    const end = alias ? alias.end : source.end;
    return alias ? { kind: 'TableRef', source, alias, pos: source.pos, end } : { kind: 'TableRef', source, pos: source.pos, end };
  }

  private parseWhere(): Expr | undefined {
    if (!this.isKeyword('where')) return undefined;
    this.next();
    return this.parseExpr(0);
  }

  // ------------------------------------------------------------- statements

  private parseSelect(): SelectStatement {
    const start = this.next().start;
    let distinct = false;
    if (this.isKeyword('distinct')) {
      this.next();
      distinct = true;
    } else if (this.isKeyword('all')) {
      this.next();
    }
    let selectValue = false;
    let projection: '*' | ProjectionItem[];
    if (this.isKeyword('value')) {
      this.next();
      selectValue = true;
      const expr = this.parseExpr(0);
      projection = [{ kind: 'ProjectionItem', expr, pos: expr.pos, end: expr.end }];
    } else {
      const items: (ProjectionItem | '*')[] = [];
      for (;;) {
        if (this.isPunct('*')) {
          this.next();
          items.push('*');
        } else {
          if (this.isKeyword('from')) break;
          const expr = this.parseExpr(0);
          const alias = this.parseAlias();
          items.push(
            alias
              ? { kind: 'ProjectionItem', expr, alias, pos: expr.pos, end: alias.end }
              : { kind: 'ProjectionItem', expr, pos: expr.pos, end: expr.end },
          );
        }
        if (!this.isPunct(',')) break;
        this.next();
      }
      if (items.length === 0) throw notWellFormed(SYNTAX.emptySelect);
      if (items.includes('*')) {
        if (items.length > 1) throw notWellFormed(SYNTAX.starNotAlone);
        projection = '*';
      } else {
        projection = items as ProjectionItem[];
      }
    }
    this.expectKeyword('from');
    const from: TableRef[] = [];
    for (;;) {
      const source = this.parseExpr(0);
      from.push(this.tableRef(source, this.parseAlias()));
      if (!this.isPunct(',')) break;
      this.next();
    }
    let end = (from[from.length - 1] as TableRef).end;
    const where = this.parseWhere();
    if (where) end = where.end;
    let groupBy: Expr[] | undefined;
    if (this.isKeyword('group')) {
      this.next();
      this.expectKeyword('by');
      groupBy = this.parseExprList();
      end = (groupBy[groupBy.length - 1] as Expr).end;
    }
    let having: Expr | undefined;
    if (this.isKeyword('having')) {
      this.next();
      having = this.parseExpr(0);
      end = having.end;
    }
    let orderBy: OrderByItem[] | undefined;
    if (this.isKeyword('order')) {
      this.next();
      this.expectKeyword('by');
      orderBy = [];
      for (;;) {
        const expr = this.parseExpr(0);
        let direction: 'ASC' | 'DESC' | undefined;
        let itemEnd = expr.end;
        if (this.isKeyword('asc') || this.isKeyword('desc')) {
          const d = this.next();
          direction = d.value === 'asc' ? 'ASC' : 'DESC';
          itemEnd = d.end;
        }
        orderBy.push(
          direction ? { kind: 'OrderBy', expr, direction, pos: expr.pos, end: itemEnd } : { kind: 'OrderBy', expr, pos: expr.pos, end: itemEnd },
        );
        end = itemEnd;
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    let limit: Expr | undefined;
    if (this.isKeyword('limit')) {
      this.next();
      limit = this.parseExpr(0);
      end = limit.end;
    }
    let offset: Expr | undefined;
    if (this.isKeyword('offset')) {
      this.next();
      offset = this.parseExpr(0);
      end = offset.end;
    }
    return {
      kind: 'Select',
      projection,
      selectValue,
      distinct,
      from,
      ...(where ? { where } : {}),
      ...(orderBy ? { orderBy } : {}),
      ...(groupBy ? { groupBy } : {}),
      ...(having ? { having } : {}),
      ...(limit ? { limit } : {}),
      ...(offset ? { offset } : {}),
      pos: start,
      end,
    };
  }

  private parseInsert(): DataStatement {
    const start = this.next().start; // INSERT
    this.next(); // INTO
    const target = this.parseSimplePath();
    const table = this.tableRef(target, undefined);
    if (!this.isKeyword('value')) {
      const value = this.parseExpr(0);
      return { kind: 'Insert', table, value, multiple: true, pos: start, end: value.end };
    }
    this.next();
    const value = this.parseExpr(0);
    let end = value.end;
    let at: Expr | undefined;
    if (this.isKeyword('at')) {
      this.next();
      at = this.parseExpr(0);
      end = at.end;
    }
    let onConflict: { action: string; pos: number; end: number } | undefined;
    if (this.isKeyword('on') && this.isWord('conflict', this.peek())) {
      const on = this.next();
      this.next();
      // partiql-lang-kotlin: ON CONFLICT [WHERE expr] DO <action>; the condition is not kept (DynamoDB refuses the
      // clause whatever it holds).
      if (this.isKeyword('where')) {
        this.next();
        this.parseExpr(0);
      }
      if (!this.isWord('do')) throw notWellFormed(SYNTAX.expectedKeyword('do'));
      this.next();
      const action = this.tok;
      if (action.kind !== 'Identifier' && action.kind !== 'Keyword') throw notWellFormed(SYNTAX.expectedToken('IDENTIFIER'));
      this.next();
      onConflict = { action: action.value.toLowerCase(), pos: on.start, end: action.end };
      end = action.end;
    }
    const returning = this.parseReturning();
    if (returning) end = returning.end;
    return {
      kind: 'Insert',
      table,
      value,
      multiple: false,
      ...(at ? { at } : {}),
      ...(onConflict ? { onConflict } : {}),
      ...(returning ? { returning } : {}),
      pos: start,
      end,
    };
  }

  /** SET / REMOVE clauses, at least one. */
  private parseActions(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    for (;;) {
      if (this.isKeyword('set')) {
        this.next();
        if (this.atEnd()) throw notWellFormed(SYNTAX.setAssignment);
        for (;;) {
          const target = this.parseSimplePath();
          if (!this.isPunct('=')) throw notWellFormed(SYNTAX.setEquals);
          this.next();
          const value = this.rightOperand(0);
          actions.push({ kind: 'Set', target, value, pos: target.pos, end: value.end });
          if (!this.isPunct(',')) break;
          this.next();
        }
      } else if (this.isKeyword('remove')) {
        this.next();
        const target = this.parseSimplePath();
        actions.push({ kind: 'Remove', target, pos: target.pos, end: target.end });
      } else {
        break;
      }
    }
    if (actions.length === 0) throw notWellFormed(SYNTAX.dataManipulation);
    return actions;
  }

  private parseReturning(): Returning | undefined {
    if (!this.isWord('returning')) return undefined;
    const start = this.next().start;
    let mapping: 'MODIFIED' | 'ALL';
    if (this.isWord('modified')) mapping = 'MODIFIED';
    else if (this.isWord('all')) mapping = 'ALL';
    else throw validationError(REFUSED.returningStar);
    this.next();
    let version: 'OLD' | 'NEW';
    if (this.isWord('old')) version = 'OLD';
    else if (this.isWord('new')) version = 'NEW';
    else throw validationError(REFUSED.returningStar);
    this.next();
    if (!this.isPunct('*')) throw validationError(REFUSED.returningStar);
    const star = this.next();
    if (this.isPunct(',')) throw validationError(REFUSED.returningMultiple);
    return { kind: 'Returning', mapping, version, pos: start, end: star.end };
  }

  private parseUpdate(): DataStatement {
    const start = this.next().start; // UPDATE
    const target = this.parseSimplePath();
    const table = this.tableRef(target, this.parseAlias());
    const actions = this.parseActions();
    const where = this.parseWhere();
    return updateStatement(table, actions, where, this.parseReturning(), false, start);
  }

  /** PartiQL's `FROM "t" [WHERE ...] SET ...` form of UPDATE. */
  private parseFromFirst(): DataStatement {
    const start = this.next().start; // FROM
    const source = this.parseExpr(0);
    const table = this.tableRef(source, this.parseAlias());
    const where = this.parseWhere();
    const actions = this.parseActions();
    return updateStatement(table, actions, where, this.parseReturning(), true, start);
  }

  private parseDelete(): DataStatement {
    const start = this.next().start; // DELETE
    if (!this.isKeyword('from')) throw notWellFormed(SYNTAX.deleteFrom);
    this.next();
    const target = this.parseSimplePath();
    const table = this.tableRef(target, this.parseAlias());
    const where = this.parseWhere();
    const returning = this.parseReturning();
    const end = returning?.end ?? where?.end ?? table.end;
    return {
      kind: 'Delete',
      table,
      ...(where ? { where } : {}),
      ...(returning ? { returning } : {}),
      pos: start,
      end,
    };
  }
}

/** True when the tree holds an alias anywhere DynamoDB refuses one. */
function hasAlias(statement: Statement): boolean {
  switch (statement.kind) {
    case 'Select':
      return statement.from.some((f) => f.alias) || (statement.projection !== '*' && statement.projection.some((p) => p.alias));
    case 'Update':
    case 'Delete':
    case 'Insert':
      return statement.table.alias !== undefined;
    case 'Exists':
      return hasAlias(statement.select);
    case 'Expression':
      return false;
  }
}

/**
 * Parses one PartiQL statement. Throws DynamoDB's ValidationException for a lexical or syntax error, and
 * "Aliasing is not supported" for a statement that parses but names an alias.
 */
export function parseStatement(text: string): ParsedStatement {
  const tokens = tokenize(text);
  const statement = new Parser(tokens).parseStatement();
  if (hasAlias(statement)) throw validationError(REFUSED.aliasing);
  return { statement, parameterCount: tokens.filter((t) => t.kind === 'Parameter').length };
}

/** An UPDATE of either form (`UPDATE t SET ... WHERE` or `FROM t WHERE ... SET`): it ends at its last clause. */
function updateStatement(
  table: TableRef,
  actions: UpdateAction[],
  where: Expr | undefined,
  returning: Returning | undefined,
  fromFirst: boolean,
  pos: number,
): DataStatement {
  const last = actions[actions.length - 1] as UpdateAction;
  // In the FROM-first form the WHERE comes before the actions, so it never ends the statement.
  const end = returning?.end ?? (fromFirst ? last.end : where?.end ?? last.end);
  return {
    kind: 'Update',
    table,
    actions,
    ...(where ? { where } : {}),
    ...(returning ? { returning } : {}),
    fromFirst,
    pos,
    end,
  };
}
