/**
 * Placeholder substitution: turns a validated raw tree into the resolved tree the evaluator consumes, where every
 * path element is an `AttributeName` or `ListIndex` and every `:value` is a `Literal`.
 *
 * Parsed trees are cached and shared between requests, so resolution never mutates: it rebuilds only the nodes
 * above a placeholder and returns every placeholder-free subtree as is (an expression without placeholders
 * resolves to the cached tree itself, allocation-free).
 *
 * Must only be called after validation, which guarantees that every placeholder is defined.
 */
import type {
  ConditionNode,
  OperandNode,
  PathElement,
  PathNode,
  ProjectionExpressionNode,
  UpdateActionNode,
  UpdateExpressionNode,
} from './ast.js';
import { lookup, type Substitutions } from './validate-common.js';

type Subs = Pick<Substitutions, 'names' | 'values'>;

export function resolvePath(path: PathNode, subs: Subs): PathNode {
  let elements: PathElement[] | undefined;
  for (let i = 0; i < path.elements.length; i++) {
    const element = path.elements[i] as PathElement;
    if (element.kind !== 'NamePlaceholder') {
      if (elements !== undefined) elements.push(element);
      continue;
    }
    if (elements === undefined) elements = path.elements.slice(0, i);
    const name = lookup(subs.names, element.placeholder);
    if (name === undefined) throw new Error(`unresolved name placeholder ${element.placeholder}`);
    elements.push({ kind: 'AttributeName', name });
  }
  return elements === undefined ? path : { kind: 'Path', elements, pos: path.pos };
}

export function resolveOperand(node: OperandNode, subs: Subs): OperandNode {
  switch (node.kind) {
    case 'Path':
      return resolvePath(node, subs);
    case 'ValuePlaceholder': {
      const value = lookup(subs.values, node.placeholder);
      if (value === undefined) throw new Error(`unresolved value placeholder ${node.placeholder}`);
      return { kind: 'Literal', value, placeholder: node.placeholder, pos: node.pos };
    }
    case 'Literal':
      return node;
    case 'FunctionCall': {
      let args: OperandNode[] | undefined;
      for (let i = 0; i < node.args.length; i++) {
        const arg = node.args[i] as OperandNode;
        const resolved = resolveOperand(arg, subs);
        if (resolved !== arg && args === undefined) args = node.args.slice(0, i);
        if (args !== undefined) args.push(resolved);
      }
      return args === undefined ? node : { kind: 'FunctionCall', name: node.name, args, pos: node.pos };
    }
    case 'Arithmetic': {
      const left = resolveOperand(node.left, subs);
      const right = resolveOperand(node.right, subs);
      return left === node.left && right === node.right ? node : { ...node, left, right };
    }
  }
}

function resolveOperands(list: readonly OperandNode[], subs: Subs): readonly OperandNode[] {
  let out: OperandNode[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i] as OperandNode;
    const resolved = resolveOperand(item, subs);
    if (resolved !== item && out === undefined) out = list.slice(0, i);
    if (out !== undefined) out.push(resolved);
  }
  return out ?? list;
}

export function resolveCondition(node: ConditionNode, subs: Subs): ConditionNode {
  switch (node.kind) {
    case 'Comparison': {
      const left = resolveOperand(node.left, subs);
      const right = resolveOperand(node.right, subs);
      return left === node.left && right === node.right ? node : { ...node, left, right };
    }
    case 'Between': {
      const operand = resolveOperand(node.operand, subs);
      const low = resolveOperand(node.low, subs);
      const high = resolveOperand(node.high, subs);
      return operand === node.operand && low === node.low && high === node.high
        ? node
        : { ...node, operand, low, high };
    }
    case 'In': {
      const operand = resolveOperand(node.operand, subs);
      const list = resolveOperands(node.list, subs);
      return operand === node.operand && list === node.list ? node : { ...node, operand, list };
    }
    case 'And':
    case 'Or': {
      const left = resolveCondition(node.left, subs);
      const right = resolveCondition(node.right, subs);
      return left === node.left && right === node.right ? node : { ...node, left, right };
    }
    case 'Not': {
      const operand = resolveCondition(node.operand, subs);
      return operand === node.operand ? node : { ...node, operand };
    }
    case 'Parentheses': {
      const inner = resolveCondition(node.inner, subs);
      return inner === node.inner ? node : { ...node, inner };
    }
    case 'ConditionFunction': {
      const call = resolveOperand(node.call, subs);
      // resolveOperand maps a FunctionCall to a FunctionCall.
      return call === node.call || call.kind !== 'FunctionCall' ? node : { ...node, call };
    }
  }
}

function resolveAction(action: UpdateActionNode, subs: Subs): UpdateActionNode {
  const path = resolvePath(action.path, subs);
  switch (action.kind) {
    case 'RemoveAction':
      return path === action.path ? action : { ...action, path };
    case 'SetAction':
    case 'AddAction':
    case 'DeleteAction': {
      const value = resolveOperand(action.value, subs);
      return path === action.path && value === action.value ? action : { ...action, path, value };
    }
  }
}

export function resolveUpdate(node: UpdateExpressionNode, subs: Subs): UpdateExpressionNode {
  let actions: UpdateActionNode[] | undefined;
  for (let i = 0; i < node.actions.length; i++) {
    const action = node.actions[i] as UpdateActionNode;
    const resolved = resolveAction(action, subs);
    if (resolved !== action && actions === undefined) actions = node.actions.slice(0, i);
    if (actions !== undefined) actions.push(resolved);
  }
  return actions === undefined ? node : { kind: 'UpdateExpression', actions };
}

export function resolveProjection(node: ProjectionExpressionNode, subs: Subs): ProjectionExpressionNode {
  let paths: PathNode[] | undefined;
  for (let i = 0; i < node.paths.length; i++) {
    const path = node.paths[i] as PathNode;
    const resolved = resolvePath(path, subs);
    if (resolved !== path && paths === undefined) paths = node.paths.slice(0, i);
    if (paths !== undefined) paths.push(resolved);
  }
  return paths === undefined ? node : { kind: 'ProjectionExpression', paths };
}
