; segv_asm: a store to address 0 faults; with no handler the process dies of
; SIGSEGV (exit 139).
%include "lib.inc"
global _start

section .text
_start:
  PRINT "before store", 10
  call flush
  xor ebx, ebx
  mov dword [ebx], 0x12345678
  PRINT "not reached", 10
  EXIT 0
