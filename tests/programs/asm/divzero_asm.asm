; divzero_asm: idiv by zero raises #DE; with no handler the process dies of
; SIGFPE (exit 136).
%include "lib.inc"
global _start

section .text
_start:
  PRINT "before idiv", 10
  call flush
  mov eax, 100
  cdq
  xor ecx, ecx
  idiv ecx
  PRINT "not reached", 10
  EXIT 0
