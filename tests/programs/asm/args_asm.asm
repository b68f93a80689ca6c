; args_asm: walks the initial stack: argc, argv[1..], envp; prints the
; arguments one per line and the HOME/USER/LANG/PATH entries of the environment.
%include "lib.inc"
global _start

section .rodata
wanted: dd env_home, env_user, env_lang, env_path, 0
env_home: db "HOME=", 0
env_user: db "USER=", 0
env_lang: db "LANG=", 0
env_path: db "PATH=", 0

section .text
_start:
  mov ebp, esp
  SHOWD "argc", [ebp]
  ; argv[1..argc-1]
  mov ecx, 1
.args:
  cmp ecx, [ebp]
  jae .args_done
  PRINT "argv["
  mov eax, ecx
  call put_udec
  PRINT "]="
  mov esi, [ebp + 4 + ecx*4]
  call put_z
  call put_nl
  inc ecx
  jmp .args
.args_done:
  ; argv[argc] must be NULL
  mov eax, [ebp]
  mov eax, [ebp + 4 + eax*4]
  SHOW "argv_null", eax
  ; envp starts after argv's NULL
  mov eax, [ebp]
  lea edi, [ebp + 8 + eax*4]
  ; count the environment entries
  xor ecx, ecx
.count:
  cmp dword [edi + ecx*4], 0
  je .counted
  inc ecx
  jmp .count
.counted:
  SHOWD "envc", ecx
  ; for each wanted prefix, print the matching entries in envp order
  mov ebx, wanted
.next_prefix:
  mov edx, [ebx]
  test edx, edx
  jz .done
  xor ecx, ecx
.scan:
  mov esi, [edi + ecx*4]
  test esi, esi
  jz .prefix_done
  ; compare prefix edx with esi
  push ecx
  xor ecx, ecx
.cmp:
  mov al, [edx + ecx]
  test al, al
  jz .match
  cmp al, [esi + ecx]
  jne .nomatch
  inc ecx
  jmp .cmp
.match:
  pop ecx
  call put_z
  call put_nl
  jmp .scan_next
.nomatch:
  pop ecx
.scan_next:
  inc ecx
  jmp .scan
.prefix_done:
  add ebx, 4
  jmp .next_prefix
.done:
  EXIT 0
