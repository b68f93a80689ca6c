/** @module Walk locations: the chain of directories from the root that a path walk went through. */
import type { Inode } from "./inode.ts";

/**
 * Where a walk stands: nodes[0] is the root and nodes[i] is reached from nodes[i-1] by names[i-1].
 * Keeping the chain (instead of parent pointers) makes ".." exact across mounts: it never leaves
 * the guest namespace.
 */
export interface Loc {
  readonly nodes: readonly Inode[];
  readonly names: readonly string[];
}

export function locOf(root: Inode): Loc {
  return { nodes: [root], names: [] };
}

export function top(loc: Loc): Inode {
  return loc.nodes[loc.nodes.length - 1];
}

export function push(loc: Loc, name: string, node: Inode): Loc {
  return { nodes: [...loc.nodes, node], names: [...loc.names, name] };
}

/** The parent location; the root is its own parent. */
export function up(loc: Loc): Loc {
  if (loc.nodes.length === 1) return loc;
  return { nodes: loc.nodes.slice(0, -1), names: loc.names.slice(0, -1) };
}

/** Canonical absolute guest path. */
export function locPath(loc: Loc): string {
  return "/" + loc.names.join("/");
}

/** Path components without empty ones (a//b/ → [a, b]). */
export function components(path: string): string[] {
  return path.split("/").filter((c) => c !== "");
}

const ENC = new TextEncoder();

/** Length of a string in UTF-8 bytes (path limits count bytes). */
export function byteLength(s: string): number {
  let ascii = true;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) ascii = false;
  return ascii ? s.length : ENC.encode(s).length;
}
