; hello_asm: the smallest program: one write(2) and exit(0), no helpers.
global _start

section .rodata
msg: db "Hello from dejavu!", 10
msg_len equ $ - msg

section .text
_start:
  mov eax, 4            ; write
  mov ebx, 1
  mov ecx, msg
  mov edx, msg_len
  int 0x80
  mov eax, 1            ; exit
  xor ebx, ebx
  int 0x80
