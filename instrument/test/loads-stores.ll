; Plain loads and stores of every size: 1, 2, 4, 8 and 16 bytes use the sized
; entry points; other sizes (odd vectors, i24, 3-float vectors) use the range
; form; volatile and unaligned accesses are instrumented like any other;
; scalable vectors are skipped. Each access gets exactly one call, placed
; right before it, with its pointer.
; (Elision of checks a nearby check covers is off here: elide-read-before-write.ll
; tests it.)
; RUN: %racecheck-opt %s -racecheck-elide-read-before-write=false | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

define void @sized(ptr %p) {
; CHECK-LABEL: define void @sized(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    call void @__racecheck_read1(ptr %p, ptr @[[SITE:__racecheck_site[.0-9]*]])
; CHECK-NEXT:    %a = load i8, ptr %p
; CHECK-NEXT:    call void @__racecheck_read2(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    %b = load i16, ptr %p
; CHECK-NEXT:    call void @__racecheck_read4(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    %c = load i32, ptr %p
; CHECK-NEXT:    call void @__racecheck_read8(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    %d = load i64, ptr %p
; CHECK-NEXT:    call void @__racecheck_read16(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    %e = load i128, ptr %p
; CHECK-NEXT:    call void @__racecheck_read4(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    %f = load float, ptr %p
; CHECK-NEXT:    call void @__racecheck_read8(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    %g = load double, ptr %p
; CHECK-NEXT:    call void @__racecheck_read8(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    %h = load ptr, ptr %p
; CHECK-NEXT:    call void @__racecheck_write1(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    store i8 %a, ptr %p
; CHECK-NEXT:    call void @__racecheck_write2(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    store i16 %b, ptr %p
; CHECK-NEXT:    call void @__racecheck_write4(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    store i32 %c, ptr %p
; CHECK-NEXT:    call void @__racecheck_write8(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    store i64 %d, ptr %p
; CHECK-NEXT:    call void @__racecheck_write16(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    store i128 %e, ptr %p
; CHECK-NEXT:    call void @__racecheck_write1(ptr %p, ptr @[[SITE]])
; CHECK-NEXT:    store i1 true, ptr %p
; CHECK-NEXT:    call void @__racecheck_func_exit()
; CHECK-NEXT:    ret void
  %a = load i8, ptr %p
  %b = load i16, ptr %p
  %c = load i32, ptr %p
  %d = load i64, ptr %p
  %e = load i128, ptr %p
  %f = load float, ptr %p
  %g = load double, ptr %p
  %h = load ptr, ptr %p
  store i8 %a, ptr %p
  store i16 %b, ptr %p
  store i32 %c, ptr %p
  store i64 %d, ptr %p
  store i128 %e, ptr %p
  store i1 true, ptr %p
  ret void
}

define void @vectors_and_odd_sizes(ptr %p, ptr %q) {
; CHECK-LABEL: define void @vectors_and_odd_sizes(
; CHECK:         call void @__racecheck_read16(ptr %p,
; CHECK-NEXT:    %v4 = load <4 x i32>, ptr %p
; CHECK-NEXT:    call void @__racecheck_read8(ptr %p,
; CHECK-NEXT:    %v2 = load <2 x float>, ptr %p
; CHECK-NEXT:    call void @__racecheck_read_range(ptr %p, i64 12,
; CHECK-NEXT:    %v3 = load <3 x float>, ptr %p
; CHECK-NEXT:    call void @__racecheck_read_range(ptr %p, i64 32,
; CHECK-NEXT:    %v8 = load <8 x i32>, ptr %p
; CHECK-NEXT:    call void @__racecheck_read_range(ptr %p, i64 3,
; CHECK-NEXT:    %odd = load i24, ptr %p
; CHECK-NEXT:    call void @__racecheck_read_range(ptr %p, i64 12,
; CHECK-NEXT:    %agg = load { i32, i32, i32 }, ptr %p
; CHECK-NEXT:    call void @__racecheck_write_range(ptr %q, i64 12,
; CHECK-NEXT:    store <3 x float> %v3, ptr %q
; CHECK-NEXT:    call void @__racecheck_write_range(ptr %q, i64 32,
; CHECK-NEXT:    store <8 x i32> %v8, ptr %q
; CHECK-NEXT:    call void @__racecheck_write_range(ptr %q, i64 3,
; CHECK-NEXT:    store i24 %odd, ptr %q
; CHECK-NEXT:    call void @__racecheck_write16(ptr %q,
; CHECK-NEXT:    store <4 x i32> %v4, ptr %q
; CHECK-NEXT:    call void @__racecheck_func_exit()
  %v4 = load <4 x i32>, ptr %p
  %v2 = load <2 x float>, ptr %p
  %v3 = load <3 x float>, ptr %p
  %v8 = load <8 x i32>, ptr %p
  %odd = load i24, ptr %p
  %agg = load { i32, i32, i32 }, ptr %p
  store <3 x float> %v3, ptr %q
  store <8 x i32> %v8, ptr %q
  store i24 %odd, ptr %q
  store <4 x i32> %v4, ptr %q
  ret void
}

define void @volatile_and_unaligned(ptr %p) {
; CHECK-LABEL: define void @volatile_and_unaligned(
; CHECK:         call void @__racecheck_read4(ptr %p,
; CHECK-NEXT:    %a = load volatile i32, ptr %p
; CHECK-NEXT:    call void @__racecheck_read8(ptr %p,
; CHECK-NEXT:    %b = load i64, ptr %p, align 1
; CHECK-NEXT:    call void @__racecheck_write4(ptr %p,
; CHECK-NEXT:    store volatile i32 %a, ptr %p
; CHECK-NEXT:    call void @__racecheck_write8(ptr %p,
; CHECK-NEXT:    store i64 %b, ptr %p, align 2
  %a = load volatile i32, ptr %p
  %b = load i64, ptr %p, align 1
  store volatile i32 %a, ptr %p
  store i64 %b, ptr %p, align 2
  ret void
}

; Scalable vectors have no fixed size: not instrumented.
define void @scalable(ptr %p) {
; CHECK-LABEL: define void @scalable(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    %v = load <vscale x 4 x i32>, ptr %p
; CHECK-NEXT:    store <vscale x 4 x i32> %v, ptr %p
; CHECK-NEXT:    call void @__racecheck_func_exit()
  %v = load <vscale x 4 x i32>, ptr %p
  store <vscale x 4 x i32> %v, ptr %p
  ret void
}

; Accesses in other address spaces are not ours.
define void @other_address_space(ptr addrspace(1) %p) {
; CHECK-LABEL: define void @other_address_space(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    %v = load i32, ptr addrspace(1) %p
; CHECK-NEXT:    call void @__racecheck_func_exit()
  %v = load i32, ptr addrspace(1) %p
  ret void
}

; CHECK-DAG: declare void @__racecheck_read4(ptr, ptr) [[NOUNWIND:#[0-9]+]]
; CHECK-DAG: declare void @__racecheck_read_range(ptr, i64, ptr) [[NOUNWIND]]
; CHECK-DAG: attributes [[NOUNWIND]] = { nounwind }
