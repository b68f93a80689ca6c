/** @module The Host interface: everything the kernel gets from the outside world. */

/** Metadata of a host file, as the VFS needs it for host mounts. */
export interface HostStat {
  kind: "file" | "dir" | "symlink" | "other";
  size: number;
  /** permission bits (mode & 0o7777) */
  mode: number;
  /** modification time in ms since the Unix epoch; only exposed to the guest through the trace */
  mtimeMs: number;
}

/** Host filesystem access for mounts. Paths are absolute host paths. All calls are synchronous. */
export interface HostFs {
  /** lstat semantics: does not follow a final symlink. null when missing. */
  lstat(path: string): HostStat | null;
  readFile(path: string): Uint8Array | null;
  /** Entry names (unsorted: the VFS sorts them). null when not a readable directory. */
  readDir(path: string): string[] | null;
  readLink(path: string): string | null;
  /** Replaces the file's whole content (rw mounts). Returns false on failure. */
  writeFile(path: string, data: Uint8Array): boolean;
  mkdir(path: string, mode: number): boolean;
  remove(path: string): boolean;
  rename(from: string, to: string): boolean;
}

export interface Host {
  writeStdout(bytes: Uint8Array): void;
  writeStderr(bytes: Uint8Array): void;
  /** Reads up to buf.length bytes of stdin; 0 at EOF. */
  readStdin(buf: Uint8Array): number;
  fs: HostFs;
}
