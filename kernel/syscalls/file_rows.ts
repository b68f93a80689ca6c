/** @module The file-related rows of the i386 syscall table (number → row), spread into syscall_table.ts. */
import { partial, row, type SyscallRow } from "../syscall_row.ts";
import * as dir from "./sys_dir.ts";
import * as fcntl from "./sys_fcntl.ts";
import * as file from "./sys_file.ts";
import * as rw from "./sys_read_write.ts";
import * as st from "./sys_stat.ts";

export const FILE_ROWS: Record<number, SyscallRow> = {
  3: row("read", rw.sysRead, { args: ["fd", "buf_out", "size"] }),
  4: row("write", rw.sysWrite, { args: ["fd", "buf_in", "size"] }),
  5: row("open", file.sysOpen, { args: ["path", "open_flags", "mode"] }),
  6: row("close", file.sysClose, { args: ["fd"] }),
  8: row("creat", file.sysCreat, { args: ["path", "mode"] }),
  9: row("link", dir.sysLink, { args: ["path", "path"] }),
  10: row("unlink", dir.sysUnlink, { args: ["path"] }),
  12: row("chdir", dir.sysChdir, { args: ["path"] }),
  15: partial("chmod", st.sysChmod, "host files change mode in memory only", {
    args: ["path", "mode"],
  }),
  19: row("lseek", rw.sysLseek, { args: ["fd", "int", "whence"] }),
  33: row("access", st.sysAccess, { args: ["path", "int"] }),
  36: row("sync", rw.sysSync, { args: [] }),
  38: row("rename", dir.sysRename, { args: ["path", "path"] }),
  39: row("mkdir", dir.sysMkdir, { args: ["path", "mode"] }),
  40: row("rmdir", dir.sysRmdir, { args: ["path"] }),
  41: row("dup", file.sysDup, { args: ["fd"] }),
  42: partial("pipe", file.sysPipe, "blocking on an empty or full pipe reports EDEADLK", {
    args: ["ptr"],
  }),
  54: partial("ioctl", fcntl.sysIoctl, "no terminals: tty requests fail with ENOTTY", {
    args: ["fd", "ioctl_cmd", "hex"],
  }),
  55: partial("fcntl", fcntl.sysFcntl64, "record locks always succeed", {
    args: ["fd", "fcntl_cmd", "hex"],
  }),
  60: row("umask", file.sysUmask, { args: ["mode"] }),
  63: row("dup2", file.sysDup2, { args: ["fd", "fd"] }),
  83: row("symlink", dir.sysSymlink, { args: ["path", "path"] }),
  85: row("readlink", dir.sysReadlink, { args: ["path", "buf_out", "size"] }),
  92: row("truncate", file.sysTruncate, { args: ["path", "int"] }),
  93: row("ftruncate", file.sysFtruncate, { args: ["fd", "int"] }),
  94: partial("fchmod", st.sysFchmod, "host files change mode in memory only", {
    args: ["fd", "mode"],
  }),
  118: row("fsync", rw.sysFsync, { args: ["fd"] }),
  133: row("fchdir", dir.sysFchdir, { args: ["fd"] }),
  140: row("_llseek", rw.sysLlseek, { args: ["fd", "uint", "uint", "ptr", "whence"] }),
  141: row("getdents", dir.sysGetdents, { args: ["fd", "buf_out", "size"] }),
  143: partial("flock", fcntl.sysFlock, "locks always succeed (single process)", {
    args: ["fd", "int"],
  }),
  145: row("readv", rw.sysReadv, { args: ["fd", "ptr", "int"] }),
  146: row("writev", rw.sysWritev, { args: ["fd", "ptr", "int"] }),
  148: row("fdatasync", rw.sysFsync, { args: ["fd"] }),
  180: row("pread64", rw.sysPread64, { args: ["fd", "buf_out", "size", "uint", "uint"] }),
  181: row("pwrite64", rw.sysPwrite64, { args: ["fd", "buf_in", "size", "uint", "uint"] }),
  183: row("getcwd", dir.sysGetcwd, { args: ["buf_out", "size"] }),
  193: row("truncate64", file.sysTruncate64, { args: ["path", "uint", "uint"] }),
  194: row("ftruncate64", file.sysFtruncate64, { args: ["fd", "uint", "uint"] }),
  195: row("stat64", st.sysStat64, { args: ["path", "ptr"] }),
  196: row("lstat64", st.sysLstat64, { args: ["path", "ptr"] }),
  197: row("fstat64", st.sysFstat64, { args: ["fd", "ptr"] }),
  198: row("lchown32", st.sysLchown32, { args: ["path", "int", "int"] }),
  207: row("fchown32", st.sysFchown32, { args: ["fd", "int", "int"] }),
  212: row("chown32", st.sysChown32, { args: ["path", "int", "int"] }),
  220: row("getdents64", dir.sysGetdents64, { args: ["fd", "buf_out", "size"] }),
  221: partial("fcntl64", fcntl.sysFcntl64, "record locks always succeed", {
    args: ["fd", "fcntl_cmd", "hex"],
  }),
  295: row("openat", file.sysOpenat, { args: ["dirfd", "path", "open_flags", "mode"] }),
  296: row("mkdirat", dir.sysMkdirat, { args: ["dirfd", "path", "mode"] }),
  298: row("fchownat", st.sysFchownat, { args: ["dirfd", "path", "int", "int", "hex"] }),
  300: row("fstatat64", st.sysFstatat64, { args: ["dirfd", "path", "ptr", "hex"] }),
  301: row("unlinkat", dir.sysUnlinkat, { args: ["dirfd", "path", "hex"] }),
  302: row("renameat", dir.sysRenameat, { args: ["dirfd", "path", "dirfd", "path"] }),
  303: row("linkat", dir.sysLinkat, { args: ["dirfd", "path", "dirfd", "path", "hex"] }),
  304: row("symlinkat", dir.sysSymlinkat, { args: ["path", "dirfd", "path"] }),
  305: row("readlinkat", dir.sysReadlinkat, { args: ["dirfd", "path", "buf_out", "size"] }),
  306: partial("fchmodat", st.sysFchmodat, "host files change mode in memory only", {
    args: ["dirfd", "path", "mode"],
  }),
  307: row("faccessat", st.sysFaccessat, { args: ["dirfd", "path", "int"] }),
  320: row("utimensat", st.sysUtimensat, { args: ["dirfd", "path", "ptr", "hex"] }),
  330: row("dup3", file.sysDup3, { args: ["fd", "fd", "open_flags"] }),
  331: partial("pipe2", file.sysPipe2, "blocking on an empty or full pipe reports EDEADLK", {
    args: ["ptr", "open_flags"],
  }),
  333: row("preadv", rw.sysPreadv, { args: ["fd", "ptr", "int", "uint", "uint"] }),
  334: row("pwritev", rw.sysPwritev, { args: ["fd", "ptr", "int", "uint", "uint"] }),
  353: partial("renameat2", dir.sysRenameat2, "RENAME_WHITEOUT is refused with EINVAL", {
    args: ["dirfd", "path", "dirfd", "path", "hex"],
  }),
  383: row("statx", st.sysStatx, { args: ["dirfd", "path", "hex", "hex", "ptr"] }),
  412: row("utimensat_time64", st.sysUtimensatTime64, { args: ["dirfd", "path", "ptr", "hex"] }),
  439: row("faccessat2", st.sysFaccessat2, { args: ["dirfd", "path", "int", "hex"] }),
  452: partial("fchmodat2", st.sysFchmodat2, "host files change mode in memory only", {
    args: ["dirfd", "path", "mode", "hex"],
  }),
};
