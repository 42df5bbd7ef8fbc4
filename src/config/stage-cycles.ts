/**
 * Finds dependency cycles among stages (stage id → the upstream ids its inputs read), by depth-first search with
 * the usual white/grey/black colouring: meeting a grey stage again closes a cycle, which is read off the stack.
 * Each cycle is reported once, starting from the stage met first in YAML order.
 */
export function findStageCycles(upstreamOf: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();

  const visit = (id: string): void => {
    state.set(id, 'active');
    stack.push(id);
    for (const upstream of upstreamOf.get(id) ?? []) {
      const upstreamState = state.get(upstream);
      if (upstreamState === 'active') {
        const cycle = stack.slice(stack.indexOf(upstream));
        const key = [...cycle].sort().join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, upstream]);
        }
      } else if (upstreamState === undefined && upstreamOf.has(upstream)) {
        visit(upstream);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };

  for (const id of upstreamOf.keys()) if (!state.has(id)) visit(id);
  return cycles;
}
