/** @module An in-memory HostFs for tests: a flat map of absolute host paths to files, dirs and symlinks. */
import type { HostFs, HostStat } from "../host.ts";

type MemNode =
  | { kind: "file"; data: Uint8Array; mode: number }
  | { kind: "dir"; mode: number }
  | { kind: "symlink"; target: string };

function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

/** A HostFs held in memory. Paths are absolute and normalised (no trailing slash). */
export class MemoryHostFs implements HostFs {
  #nodes = new Map<string, MemNode>([["/", { kind: "dir", mode: 0o755 }]]);
  /** every call, in order, for tests that check what touched the host */
  readonly log: string[] = [];

  #mkParents(path: string): void {
    const parent = parentOf(path);
    if (parent !== path && !this.#nodes.has(parent)) {
      this.#mkParents(parent);
      this.#nodes.set(parent, { kind: "dir", mode: 0o755 });
    }
  }

  addFile(path: string, data: string | Uint8Array, mode = 0o644): this {
    this.#mkParents(path);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.#nodes.set(path, { kind: "file", data: bytes, mode });
    return this;
  }

  addDir(path: string, mode = 0o755): this {
    this.#mkParents(path);
    this.#nodes.set(path, { kind: "dir", mode });
    return this;
  }

  addSymlink(path: string, target: string): this {
    this.#mkParents(path);
    this.#nodes.set(path, { kind: "symlink", target });
    return this;
  }

  /** Test inspection: a file's content as text, or null. */
  text(path: string): string | null {
    const n = this.#nodes.get(path);
    return n?.kind === "file" ? new TextDecoder().decode(n.data) : null;
  }

  has(path: string): boolean {
    return this.#nodes.has(path);
  }

  lstat(path: string): HostStat | null {
    this.log.push(`lstat ${path}`);
    const n = this.#nodes.get(path);
    if (!n) return null;
    if (n.kind === "file") return { kind: "file", size: n.data.length, mode: n.mode, mtimeMs: 0 };
    if (n.kind === "dir") return { kind: "dir", size: 4096, mode: n.mode, mtimeMs: 0 };
    return { kind: "symlink", size: n.target.length, mode: 0o777, mtimeMs: 0 };
  }

  readFile(path: string): Uint8Array | null {
    this.log.push(`readFile ${path}`);
    const n = this.#nodes.get(path);
    return n?.kind === "file" ? n.data.slice() : null;
  }

  readDir(path: string): string[] | null {
    this.log.push(`readDir ${path}`);
    if (this.#nodes.get(path)?.kind !== "dir") return null;
    const prefix = path === "/" ? "/" : path + "/";
    const out: string[] = [];
    for (const p of this.#nodes.keys()) {
      if (p !== "/" && p.startsWith(prefix) && !p.slice(prefix.length).includes("/")) {
        out.push(p.slice(prefix.length));
      }
    }
    return out.reverse();
  }

  readLink(path: string): string | null {
    const n = this.#nodes.get(path);
    return n?.kind === "symlink" ? n.target : null;
  }

  writeFile(path: string, data: Uint8Array): boolean {
    this.log.push(`writeFile ${path}`);
    const n = this.#nodes.get(path);
    if (n && n.kind !== "file") return false;
    if (this.#nodes.get(parentOf(path))?.kind !== "dir") return false;
    this.#nodes.set(path, { kind: "file", data: data.slice(), mode: n?.mode ?? 0o644 });
    return true;
  }

  mkdir(path: string, mode: number): boolean {
    this.log.push(`mkdir ${path}`);
    if (this.#nodes.has(path) || this.#nodes.get(parentOf(path))?.kind !== "dir") return false;
    this.#nodes.set(path, { kind: "dir", mode });
    return true;
  }

  remove(path: string): boolean {
    this.log.push(`remove ${path}`);
    if (!this.#nodes.has(path)) return false;
    if ((this.readDir(path) ?? []).length > 0) return false;
    this.#nodes.delete(path);
    return true;
  }

  rename(from: string, to: string): boolean {
    this.log.push(`rename ${from} ${to}`);
    if (!this.#nodes.has(from) || this.#nodes.get(parentOf(to))?.kind !== "dir") return false;
    const moved: [string, MemNode][] = [];
    for (const [p, n] of this.#nodes) {
      if (p === from || p.startsWith(from + "/")) moved.push([p, n]);
    }
    for (const [p] of moved) this.#nodes.delete(p);
    for (const p of [...this.#nodes.keys()]) {
      if (p === to || p.startsWith(to + "/")) this.#nodes.delete(p);
    }
    for (const [p, n] of moved) this.#nodes.set(to + p.slice(from.length), n);
    return true;
  }
}
