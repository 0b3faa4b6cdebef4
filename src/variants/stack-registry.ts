import { IConstruct } from 'constructs';

/**
 * The `NetworkStack`s of each construct tree, by root, in the order they
 * were created: what a construct asks for at validation (e.g. whether the
 * tree runs Kube-OVN) without walking the whole tree, which made a tree of
 * n subnets quadratic. Shared by every copy of the library loaded in one
 * process (like the `cozynet.NetworkStack` marker itself).
 * @internal
 */
const REGISTRY = Symbol.for('cozynet.networkStacksByRoot');

function registry(): WeakMap<IConstruct, IConstruct[]> {
  const g = globalThis as any;
  g[REGISTRY] ??= new WeakMap<IConstruct, IConstruct[]>();
  return g[REGISTRY];
}

/** Records a network stack of its tree. @internal */
export function registerNetworkStack(stack: IConstruct): void {
  const root = stack.node.root;
  const list = registry().get(root);
  if (list) list.push(stack);
  else registry().set(root, [stack]);
}

/** Whether `c` is still in its tree (no ancestor removed it with `tryRemoveChild`). */
function attached(c: IConstruct): boolean {
  const scopes = c.node.scopes;
  for (let i = 1; i < scopes.length; i++) {
    if (scopes[i - 1].node.tryFindChild(scopes[i].node.id) !== scopes[i]) return false;
  }
  return true;
}

/** Position of `c` in a depth-first walk from the root (child indices along the path). */
function treePosition(c: IConstruct): number[] {
  const scopes = c.node.scopes;
  const out: number[] = [];
  for (let i = 1; i < scopes.length; i++) out.push(scopes[i - 1].node.children.indexOf(scopes[i]));
  return out;
}

function compareTreeOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * The network stacks in the tree of `root`, in tree order (as
 * `root.node.findAll()` lists them).
 * @internal
 */
export function networkStacksOf(root: IConstruct): IConstruct[] {
  const list = (registry().get(root) ?? []).filter(attached);
  if (list.length < 2) return list;
  const pos = new Map(list.map((s) => [s, treePosition(s)]));
  return [...list].sort((a, b) => compareTreeOrder(pos.get(a)!, pos.get(b)!));
}
