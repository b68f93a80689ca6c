/** @module The Deno implementation of HostFs: synchronous host file access for mounts. */
import type { HostFs, HostStat } from "../kernel/host.ts";

function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** Host files through Deno's sync APIs; every failure becomes null/false. */
export class DenoHostFs implements HostFs {
  lstat(path: string): HostStat | null {
    return attempt(() => {
      const st = Deno.lstatSync(path);
      const kind = st.isFile ? "file" : st.isDirectory ? "dir" : st.isSymlink ? "symlink" : "other";
      return {
        kind,
        size: st.size,
        mode: (st.mode ?? 0o644) & 0o7777,
        mtimeMs: st.mtime?.getTime() ?? 0,
      };
    }, null);
  }

  readFile(path: string): Uint8Array | null {
    return attempt(() => Deno.readFileSync(path), null);
  }

  readDir(path: string): string[] | null {
    return attempt(() => [...Deno.readDirSync(path)].map((e) => e.name), null);
  }

  readLink(path: string): string | null {
    return attempt(() => Deno.readLinkSync(path), null);
  }

  writeFile(path: string, data: Uint8Array): boolean {
    return attempt(() => (Deno.writeFileSync(path, data), true), false);
  }

  mkdir(path: string, mode: number): boolean {
    return attempt(() => (Deno.mkdirSync(path, { mode }), true), false);
  }

  remove(path: string): boolean {
    return attempt(() => (Deno.removeSync(path), true), false);
  }

  rename(from: string, to: string): boolean {
    return attempt(() => (Deno.renameSync(from, to), true), false);
  }
}
