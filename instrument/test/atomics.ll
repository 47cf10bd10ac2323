; Atomic operations: one __racecheck_atomic_op(addr, size, kind, order,
; failure_order, expected, site) right before each. kind: 0 load, 1 store,
; 2 rmw, 3 cmpxchg. An integer xchg/add/sub/and/or/xor of 1-8 bytes calls
; __racecheck_atomic_int_rmw(addr, size, op, order, operand, site) instead (op:
; 0 xchg, 1 add, 2 sub, 3 and, 4 or, 5 xor; operand zero-extended). Orders in C11 numbering: relaxed 0 (monotonic and
; unordered), acquire 2, release 3, acq_rel 4, seq_cst 5. expected is the
; cmpxchg comparand widened to i64 (0 above 8 bytes and for other kinds).
; Fences call __racecheck_atomic_fence, except single-thread (signal) fences.
; RUN: %racecheck-opt %s | FileCheck %s
; Atomics are not plain accesses: no __racecheck_read/write calls anywhere.
; RUN: %racecheck-opt %s | FileCheck %s --check-prefix=NOPLAIN \
; RUN:   --implicit-check-not="call void @__racecheck_read" \
; RUN:   --implicit-check-not="call void @__racecheck_write"

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

define void @loads_and_stores(ptr %p) nounwind {
; CHECK-LABEL: define void @loads_and_stores(
; CHECK:         call void @__racecheck_atomic_op(ptr %p, i32 4, i32 0, i32 0, i32 0, i64 0, ptr @[[S:__racecheck_site[.0-9]*]])
; CHECK-NEXT:    %a = load atomic i32, ptr %p monotonic, align 4
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 8, i32 0, i32 0, i32 0, i64 0, ptr @[[S]])
; CHECK-NEXT:    %b = load atomic i64, ptr %p unordered, align 8
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 1, i32 0, i32 2, i32 2, i64 0, ptr @[[S]])
; CHECK-NEXT:    %c = load atomic i8, ptr %p acquire, align 1
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 8, i32 0, i32 5, i32 5, i64 0, ptr @[[S]])
; CHECK-NEXT:    %d = load atomic ptr, ptr %p seq_cst, align 8
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 2, i32 1, i32 3, i32 3, i64 0, ptr @[[S]])
; CHECK-NEXT:    store atomic i16 1, ptr %p release, align 2
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 4, i32 1, i32 0, i32 0, i64 0, ptr @[[S]])
; CHECK-NEXT:    store atomic i32 %a, ptr %p monotonic, align 4
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 8, i32 1, i32 5, i32 5, i64 0, ptr @[[S]])
; CHECK-NEXT:    store atomic i64 %b, ptr %p seq_cst, align 8
; CHECK-NEXT:    call void @__racecheck_func_exit()
  %a = load atomic i32, ptr %p monotonic, align 4
  %b = load atomic i64, ptr %p unordered, align 8
  %c = load atomic i8, ptr %p acquire, align 1
  %d = load atomic ptr, ptr %p seq_cst, align 8
  store atomic i16 1, ptr %p release, align 2
  store atomic i32 %a, ptr %p monotonic, align 4
  store atomic i64 %b, ptr %p seq_cst, align 8
  ret void
}

define void @read_modify_write(ptr %p, i32 %v) nounwind {
; CHECK-LABEL: define void @read_modify_write(
; CHECK:         [[XV:%[0-9]+]] = zext i32 %v to i64
; CHECK-NEXT:    call void @__racecheck_atomic_int_rmw(ptr %p, i32 4, i32 1, i32 4, i64 [[XV]],
; CHECK-NEXT:    atomicrmw add ptr %p, i32 %v acq_rel
; CHECK-NEXT:    call void @__racecheck_atomic_int_rmw(ptr %p, i32 8, i32 0, i32 0, i64 5,
; CHECK-NEXT:    atomicrmw xchg ptr %p, i64 5 monotonic
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 4, i32 2, i32 2, i32 2, i64 0,
; CHECK-NEXT:    atomicrmw fadd ptr %p, float 1.000000e+00 acquire
; CHECK-NEXT:    call void @__racecheck_atomic_int_rmw(ptr %p, i32 1, i32 4, i32 3, i64 1,
; CHECK-NEXT:    atomicrmw or ptr %p, i8 1 release
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 4, i32 2, i32 5, i32 5, i64 0,
; CHECK-NEXT:    atomicrmw umax ptr %p, i32 %v seq_cst
; CHECK-NEXT:    call void @__racecheck_atomic_int_rmw(ptr %p, i32 2, i32 2, i32 0, i64 65535,
; CHECK-NEXT:    atomicrmw sub ptr %p, i16 -1 monotonic
; CHECK-NEXT:    call void @__racecheck_atomic_int_rmw(ptr %p, i32 8, i32 5, i32 5, i64 -1,
; CHECK-NEXT:    atomicrmw xor ptr %p, i64 -1 seq_cst
; CHECK-NEXT:    call void @__racecheck_atomic_int_rmw(ptr %p, i32 4, i32 3, i32 2, i64 0,
; CHECK-NEXT:    atomicrmw and ptr %p, i32 0 acquire
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 8, i32 2, i32 0, i32 0, i64 0,
; CHECK-NEXT:    atomicrmw xchg ptr %p, ptr null monotonic
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 16, i32 2, i32 0, i32 0, i64 0,
; CHECK-NEXT:    atomicrmw add ptr %p, i128 1 monotonic
  %1 = atomicrmw add ptr %p, i32 %v acq_rel
  %2 = atomicrmw xchg ptr %p, i64 5 monotonic
  %3 = atomicrmw fadd ptr %p, float 1.0 acquire
  %4 = atomicrmw or ptr %p, i8 1 release
  %5 = atomicrmw umax ptr %p, i32 %v seq_cst
  %6 = atomicrmw sub ptr %p, i16 -1 monotonic
  %7 = atomicrmw xor ptr %p, i64 -1 seq_cst
  %8 = atomicrmw and ptr %p, i32 0 acquire
  %9 = atomicrmw xchg ptr %p, ptr null monotonic
  %10 = atomicrmw add ptr %p, i128 1 monotonic
  ret void
}

define void @compare_exchange(ptr %p, i32 %e32, i8 %e8, i64 %e64, ptr %eptr, i128 %e128) nounwind {
; CHECK-LABEL: define void @compare_exchange(
; CHECK:         [[X32:%[0-9]+]] = zext i32 %e32 to i64
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 4, i32 3, i32 5, i32 2, i64 [[X32]],
; CHECK-NEXT:    cmpxchg ptr %p, i32 %e32, i32 1 seq_cst acquire
; CHECK-NEXT:    [[X8:%[0-9]+]] = zext i8 %e8 to i64
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 1, i32 3, i32 4, i32 0, i64 [[X8]],
; CHECK-NEXT:    cmpxchg ptr %p, i8 %e8, i8 2 acq_rel monotonic
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 8, i32 3, i32 3, i32 0, i64 %e64,
; CHECK-NEXT:    cmpxchg weak ptr %p, i64 %e64, i64 3 release monotonic
; CHECK-NEXT:    [[XP:%[0-9]+]] = ptrtoint ptr %eptr to i64
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 8, i32 3, i32 2, i32 2, i64 [[XP]],
; CHECK-NEXT:    cmpxchg ptr %p, ptr %eptr, ptr null acquire acquire
; CHECK-NEXT:    call void @__racecheck_atomic_op(ptr %p, i32 16, i32 3, i32 5, i32 5, i64 0,
; CHECK-NEXT:    cmpxchg ptr %p, i128 %e128, i128 0 seq_cst seq_cst
  %1 = cmpxchg ptr %p, i32 %e32, i32 1 seq_cst acquire
  %2 = cmpxchg ptr %p, i8 %e8, i8 2 acq_rel monotonic
  %3 = cmpxchg weak ptr %p, i64 %e64, i64 3 release monotonic
  %4 = cmpxchg ptr %p, ptr %eptr, ptr null acquire acquire
  %5 = cmpxchg ptr %p, i128 %e128, i128 0 seq_cst seq_cst
  ret void
}

define void @fences() nounwind {
; CHECK-LABEL: define void @fences(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    call void @__racecheck_atomic_fence(i32 2,
; CHECK-NEXT:    fence acquire
; CHECK-NEXT:    call void @__racecheck_atomic_fence(i32 3,
; CHECK-NEXT:    fence release
; CHECK-NEXT:    call void @__racecheck_atomic_fence(i32 4,
; CHECK-NEXT:    fence acq_rel
; CHECK-NEXT:    call void @__racecheck_atomic_fence(i32 5,
; CHECK-NEXT:    fence seq_cst
; CHECK-NEXT:    fence syncscope("singlethread") seq_cst
; CHECK-NEXT:    call void @__racecheck_func_exit()
  fence acquire
  fence release
  fence acq_rel
  fence seq_cst
  fence syncscope("singlethread") seq_cst
  ret void
}

; NOPLAIN: define void @loads_and_stores(
; NOPLAIN: define void @fences(
