; memcpy/memmove read the source range and write the destination range;
; memset writes the destination range. The calls come right before the
; intrinsic, with the length widened to i64. A side that is a non-escaping
; local is left out, as for plain accesses.
; RUN: %racecheck-opt %s | FileCheck %s
; Intrinsics are not calls: no call-site store anywhere.
; RUN: %racecheck-opt %s | FileCheck %s --check-prefix=NOCALLSITE \
; RUN:   --implicit-check-not="store ptr @__racecheck_site"

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memcpy.p0.p0.i32(ptr, ptr, i32, i1)
declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare void @llvm.memcpy.inline.p0.p0.i64(ptr, ptr, i64, i1)

define void @transfers(ptr %dst, ptr %src, i64 %n, i32 %n32) nounwind {
; CHECK-LABEL: define void @transfers(
; CHECK:         call void @__racecheck_read_range(ptr %src, i64 %n, ptr @[[S:__racecheck_site[.0-9]*]])
; CHECK-NEXT:    call void @__racecheck_write_range(ptr %dst, i64 %n, ptr @[[S]])
; CHECK-NEXT:    call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %src, i64 %n, i1 false)
; CHECK-NEXT:    [[N:%[0-9]+]] = zext i32 %n32 to i64
; CHECK-NEXT:    call void @__racecheck_read_range(ptr %src, i64 [[N]], ptr @[[S]])
; CHECK-NEXT:    call void @__racecheck_write_range(ptr %dst, i64 [[N]], ptr @[[S]])
; CHECK-NEXT:    call void @llvm.memcpy.p0.p0.i32(ptr %dst, ptr %src, i32 %n32, i1 false)
; CHECK-NEXT:    call void @__racecheck_read_range(ptr %src, i64 24, ptr @[[S]])
; CHECK-NEXT:    call void @__racecheck_write_range(ptr %dst, i64 24, ptr @[[S]])
; CHECK-NEXT:    call void @llvm.memmove.p0.p0.i64(ptr %dst, ptr %src, i64 24, i1 true)
; CHECK-NEXT:    call void @__racecheck_read_range(ptr %src, i64 8, ptr @[[S]])
; CHECK-NEXT:    call void @__racecheck_write_range(ptr %dst, i64 8, ptr @[[S]])
; CHECK-NEXT:    call void @llvm.memcpy.inline.p0.p0.i64(ptr %dst, ptr %src, i64 8, i1 false)
; CHECK-NEXT:    call void @__racecheck_write_range(ptr %dst, i64 %n, ptr @[[S]])
; CHECK-NEXT:    call void @llvm.memset.p0.i64(ptr %dst, i8 0, i64 %n, i1 false)
; CHECK-NEXT:    call void @__racecheck_func_exit()
  call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %src, i64 %n, i1 false)
  call void @llvm.memcpy.p0.p0.i32(ptr %dst, ptr %src, i32 %n32, i1 false)
  call void @llvm.memmove.p0.p0.i64(ptr %dst, ptr %src, i64 24, i1 true)
  call void @llvm.memcpy.inline.p0.p0.i64(ptr %dst, ptr %src, i64 8, i1 false)
  call void @llvm.memset.p0.i64(ptr %dst, i8 0, i64 %n, i1 false)
  ret void
}

; Copying a shared object into a private local reads the source only;
; clearing a private local is not instrumented.
define void @into_local(ptr %src) nounwind {
; CHECK-LABEL: define void @into_local(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    %buf = alloca [16 x i8]
; CHECK-NEXT:    call void @__racecheck_read_range(ptr %src, i64 16,
; CHECK-NEXT:    call void @llvm.memcpy.p0.p0.i64(ptr %buf, ptr %src, i64 16, i1 false)
; CHECK-NEXT:    call void @llvm.memset.p0.i64(ptr %buf, i8 0, i64 16, i1 false)
; CHECK-NEXT:    call void @__racecheck_func_exit()
  %buf = alloca [16 x i8]
  call void @llvm.memcpy.p0.p0.i64(ptr %buf, ptr %src, i64 16, i1 false)
  call void @llvm.memset.p0.i64(ptr %buf, i8 0, i64 16, i1 false)
  ret void
}

; NOCALLSITE: define void @transfers(
; NOCALLSITE: define void @into_local(
