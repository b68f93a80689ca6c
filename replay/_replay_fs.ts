/** @module The HostFs replay uses: mount roots exist as empty directories, nothing else does. */
import type { HostFs, HostStat } from "../kernel/host.ts";

/**
 * Replay takes every file syscall's result from the trace, so it must not read the host: the
 * traced mounts may not even exist on this machine. The kernel still builds its mount table
 * at boot, so each mount root answers as an empty directory.
 */
export class ReplayHostFs implements HostFs {
  readonly #roots: Set<string>;

  constructor(mountRoots: string[]) {
    this.#roots = new Set(mountRoots.map((p) => (p.length > 1 ? p.replace(/\/+$/, "") : p)));
  }

  lstat(path: string): HostStat | null {
    return this.#roots.has(path) ? { kind: "dir", size: 0, mode: 0o755, mtimeMs: 0 } : null;
  }
  readFile(_path: string): Uint8Array | null {
    return null;
  }
  readDir(path: string): string[] | null {
    return this.#roots.has(path) ? [] : null;
  }
  readLink(_path: string): string | null {
    return null;
  }
  writeFile(_path: string, _data: Uint8Array): boolean {
    return false;
  }
  mkdir(_path: string, _mode: number): boolean {
    return false;
  }
  remove(_path: string): boolean {
    return false;
  }
  rename(_from: string, _to: string): boolean {
    return false;
  }
}
