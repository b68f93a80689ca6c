; errno_asm: raw syscalls return -errno in eax. Exits with 3.
%include "lib.inc"
global _start

section .rodata
missing: db "/nonexistent/dejavu_missing_file", 0
devnull: db "/dev/null", 0

section .text
_start:
  mov eax, SYS_OPEN
  mov ebx, missing
  xor ecx, ecx
  int 0x80
  SHOWD "open_missing", eax           ; -2 ENOENT

  mov eax, SYS_CLOSE
  mov ebx, 1000
  int 0x80
  SHOWD "close_bad_fd", eax           ; -9 EBADF

  mov eax, SYS_WRITE
  mov ebx, 1
  xor ecx, ecx
  mov edx, 16
  int 0x80
  SHOWD "write_null_buf", eax         ; -14 EFAULT

  mov eax, SYS_READ
  mov ebx, -1
  mov ecx, out_buf
  mov edx, 1
  int 0x80
  SHOWD "read_fd_minus1", eax         ; -9 EBADF

  mov eax, 9999
  int 0x80
  SHOWD "syscall_9999", eax           ; -38 ENOSYS

  mov eax, SYS_OPEN
  mov ebx, devnull
  mov ecx, 0x41                       ; O_WRONLY|O_CREAT
  mov edx, 0o644
  int 0x80
  mov esi, eax
  cmp eax, 0
  setge al
  movzx eax, al
  SHOWD "open_devnull_ok", eax
  mov eax, SYS_READ
  mov ebx, esi
  mov ecx, out_buf
  mov edx, 1
  int 0x80
  SHOWD "read_wronly", eax            ; -9 EBADF
  mov eax, SYS_CLOSE
  mov ebx, esi
  int 0x80
  SHOWD "close_devnull", eax          ; 0
  mov eax, SYS_CLOSE
  mov ebx, esi
  int 0x80
  SHOWD "close_again", eax            ; -9
  EXIT 3
