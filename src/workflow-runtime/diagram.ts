import type { AnyStateMachine } from 'xstate';

type Node = AnyStateMachine['root'];

/** A Mermaid state diagram of a machine, nested states included, one arrow per event. */
export function mermaidDiagram(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  render(machine.root, '  ', lines);
  return `${lines.join('\n')}\n`;
}

const id = (node: Node) => node.path.join('_');

function render(parent: Node, indent: string, lines: string[]): void {
  const children = Object.values<Node>(parent.states);
  const initial = parent.initial?.target[0];
  if (initial) lines.push(`${indent}[*] --> ${id(initial)}`);
  for (const child of children) {
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state ${id(child)} {`);
      render(child, `${indent}  `, lines);
      lines.push(`${indent}}`);
    }
    if (child.type === 'final') lines.push(`${indent}${id(child)} --> [*]`);
    arrows(child, child, indent, lines);
    // What the parent accepts in any state, drawn from each state it applies to.
    if (parent.path.length === 0 && child.type !== 'final') arrows(parent, child, indent, lines);
  }
}

/**
 * One arrow per event of `owner`'s transitions, drawn from `from`; an event that changes no state loops.
 * A transition taken with no event, as soon as its guard holds, is labelled with the guard.
 */
function arrows(owner: Node, from: Node, indent: string, lines: string[]): void {
  for (const [event, transitions] of owner.transitions) {
    for (const transition of transitions) {
      for (const target of transition.target ?? [from]) lines.push(`${indent}${id(from)} --> ${id(target)} : ${event}`);
    }
  }
  for (const transition of owner.always ?? []) {
    const guard = transition.guard as string | { type?: string } | undefined;
    const when = typeof guard === 'string' ? guard : (guard?.type ?? 'toujours');
    for (const target of transition.target ?? []) lines.push(`${indent}${id(from)} --> ${id(target)} : [${when}]`);
  }
}
