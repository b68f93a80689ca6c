; brk_mmap_asm: the program break and anonymous mappings through raw syscalls:
; brk(0), grow, touch, shrink; mmap2 anonymous, zero-filled, write/read back,
; munmap. Prints invariants only (addresses differ between runs).
%include "lib.inc"
global _start

%define GROW 0x21000
%define MAPLEN 0x30000

section .bss
brk0: resd 1
map: resd 1

section .text
; ok_if: print label then "ok" when ZF=1 else "FAIL".
%macro CHECK 1
  jne %%bad
  PRINT %1, " ok", 10
  jmp %%done
%%bad:
  PRINT %1, " FAIL", 10
%%done:
%endmacro

_start:
  mov eax, SYS_BRK
  xor ebx, ebx
  int 0x80
  mov [brk0], eax
  test eax, 0xfff
  CHECK "brk0 page aligned"
  mov eax, [brk0]
  cmp eax, end_of_bss
  setae al
  cmp al, 1
  CHECK "brk0 above bss"

  ; grow
  mov ebx, [brk0]
  add ebx, GROW
  mov eax, SYS_BRK
  int 0x80
  mov ecx, [brk0]
  add ecx, GROW
  cmp eax, ecx
  CHECK "brk grow"

  ; the new memory reads as zero
  mov edi, [brk0]
  mov ecx, GROW / 4
  xor eax, eax
  repe scasd
  CHECK "brk zeroed"

  ; write a pattern and sum it back
  mov edi, [brk0]
  mov ecx, GROW / 4
  mov eax, 0x01010101
.fill:
  mov [edi], eax
  add eax, 0x01000193
  add edi, 4
  loop .fill
  mov esi, [brk0]
  mov ecx, GROW / 4
  xor edx, edx
.sum:
  lodsd
  xor edx, eax
  rol edx, 5
  loop .sum
  SHOW "brk checksum", edx

  ; brk below the start fails: returns the current break
  mov eax, SYS_BRK
  mov ebx, 0x1000
  int 0x80
  mov ecx, [brk0]
  add ecx, GROW
  cmp eax, ecx
  CHECK "brk too low refused"

  ; shrink back
  mov eax, SYS_BRK
  mov ebx, [brk0]
  int 0x80
  cmp eax, [brk0]
  CHECK "brk shrink"

  ; mmap2(NULL, MAPLEN, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)
  mov eax, SYS_MMAP2
  xor ebx, ebx
  mov ecx, MAPLEN
  mov edx, 3
  mov esi, 0x22
  mov edi, -1
  xor ebp, ebp
  int 0x80
  mov [map], eax
  cmp eax, -4096
  setb al
  cmp al, 1
  CHECK "mmap2 succeeded"
  mov eax, [map]
  test eax, 0xfff
  CHECK "mmap2 page aligned"

  mov edi, [map]
  mov ecx, MAPLEN / 4
  xor eax, eax
  repe scasd
  CHECK "mmap2 zeroed"

  ; fill with rep stosd, patch, and checksum
  mov edi, [map]
  mov ecx, MAPLEN / 4
  mov eax, 0xa5a5a5a5
  rep stosd
  mov edi, [map]
  mov dword [edi + 0x1ffc], 0x11223344      ; crosses nothing; last dword of page 1
  mov dword [edi + 0x2ffe], 0x55667788      ; straddles pages 2 and 3
  mov esi, [map]
  mov ecx, MAPLEN / 4
  xor edx, edx
.msum:
  lodsd
  add edx, eax
  rol edx, 3
  loop .msum
  SHOW "mmap checksum", edx
  mov edi, [map]
  SHOW "straddle", [edi + 0x2ffe]

  ; munmap
  mov eax, SYS_MUNMAP
  mov ebx, [map]
  mov ecx, MAPLEN
  int 0x80
  test eax, eax
  CHECK "munmap"

  ; mmap2 with a bad length
  mov eax, SYS_MMAP2
  xor ebx, ebx
  xor ecx, ecx
  mov edx, 3
  mov esi, 0x22
  mov edi, -1
  xor ebp, ebp
  int 0x80
  SHOWD "mmap2 zero length", eax          ; -22 EINVAL

  EXIT 0

section .bss
end_of_bss: resb 1
