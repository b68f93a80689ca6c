; loop_asm: integer loops: Collatz chain lengths below 20000 (longest chain and
; the sum of all lengths), a 64-bit Fibonacci with adc, and a prime count by trial
; division. Exits with 7.
%include "lib.inc"
global _start

section .text
_start:
  ; Collatz: for n in 1..19999, steps until 1.
  xor edi, edi          ; sum of lengths
  xor ebp, ebp          ; best length
  xor ebx, ebx          ; best n
  mov ecx, 1
.outer:
  mov eax, ecx
  xor edx, edx          ; steps
.step:
  cmp eax, 1
  je .chain_done
  inc edx
  test eax, 1
  jz .even
  lea eax, [eax + eax*2 + 1]
  jmp .step
.even:
  shr eax, 1
  jmp .step
.chain_done:
  add edi, edx
  cmp edx, ebp
  jbe .not_best
  mov ebp, edx
  mov ebx, ecx
.not_best:
  inc ecx
  cmp ecx, 20000
  jb .outer
  SHOWD "collatz_best_n", ebx
  SHOWD "collatz_best_len", ebp
  SHOWD "collatz_sum", edi

  ; Fibonacci(90) in edx:eax using add/adc.
  xor eax, eax
  xor edx, edx          ; f0 = 0
  mov esi, 1
  xor edi, edi          ; f1 = 1
  mov ecx, 90
.fib:
  add eax, esi
  adc edx, edi          ; f2 = f0 + f1
  xchg eax, esi
  xchg edx, edi         ; (f0, f1) = (f1, f2)
  loop .fib
  SHOW "fib90_hi", edx
  SHOW "fib90_lo", eax

  ; Primes below 30000 by trial division.
  xor edi, edi
  mov ecx, 2
.cand:
  mov ebx, 2
.trial:
  mov eax, ebx
  mul ebx
  cmp eax, ecx
  ja .prime
  mov eax, ecx
  xor edx, edx
  div ebx
  test edx, edx
  jz .composite
  inc ebx
  jmp .trial
.prime:
  inc edi
.composite:
  inc ecx
  cmp ecx, 30000
  jb .cand
  SHOWD "primes_below_30000", edi
  EXIT 7
