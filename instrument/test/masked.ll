; Masked vector accesses (from the loop vectorizers) touch only the lanes
; whose mask bit is set, so each lane is instrumented on its own: constant
; true lanes unconditionally, constant false lanes not at all, variable
; lanes under their mask bit. Gathers/scatters use each lane's pointer.
; RUN: %racecheck-opt %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

declare <4 x i32> @llvm.masked.load.v4i32.p0(ptr, i32, <4 x i1>, <4 x i32>)
declare void @llvm.masked.store.v2f64.p0(<2 x double>, ptr, i32, <2 x i1>)
declare <2 x i64> @llvm.masked.gather.v2i64.v2p0(<2 x ptr>, i32, <2 x i1>, <2 x i64>)
declare void @llvm.masked.scatter.v2i16.v2p0(<2 x i16>, <2 x ptr>, i32, <2 x i1>)

define <4 x i32> @constant_mask(ptr %p) nounwind {
; CHECK-LABEL: define <4 x i32> @constant_mask(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    call void @__racecheck_read4(ptr %p,
; CHECK-NEXT:    [[L2:%[0-9]+]] = getelementptr i32, ptr %p, i64 2
; CHECK-NEXT:    call void @__racecheck_read4(ptr [[L2]],
; CHECK-NEXT:    %v = call <4 x i32> @llvm.masked.load.v4i32.p0(
; CHECK-NEXT:    call void @__racecheck_func_exit()
  %v = call <4 x i32> @llvm.masked.load.v4i32.p0(ptr %p, i32 4, <4 x i1> <i1 true, i1 false, i1 true, i1 false>, <4 x i32> zeroinitializer)
  ret <4 x i32> %v
}

define void @variable_mask(ptr %p, <2 x double> %v, <2 x i1> %m) nounwind {
; CHECK-LABEL: define void @variable_mask(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    [[B0:%[0-9]+]] = extractelement <2 x i1> %m, i64 0
; CHECK-NEXT:    br i1 [[B0]], label %[[THEN0:[0-9]+]], label %[[NEXT0:[0-9]+]]
; CHECK:       [[THEN0]]:
; CHECK-NEXT:    call void @__racecheck_write8(ptr %p,
; CHECK-NEXT:    br label %[[NEXT0]]
; CHECK:       [[NEXT0]]:
; CHECK-NEXT:    [[B1:%[0-9]+]] = extractelement <2 x i1> %m, i64 1
; CHECK-NEXT:    br i1 [[B1]], label %[[THEN1:[0-9]+]], label %[[NEXT1:[0-9]+]]
; CHECK:       [[THEN1]]:
; CHECK-NEXT:    [[A1:%[0-9]+]] = getelementptr double, ptr %p, i64 1
; CHECK-NEXT:    call void @__racecheck_write8(ptr [[A1]],
; CHECK-NEXT:    br label %[[NEXT1]]
; CHECK:       [[NEXT1]]:
; CHECK-NEXT:    call void @llvm.masked.store.v2f64.p0(<2 x double> %v, ptr %p, i32 8, <2 x i1> %m)
; CHECK-NEXT:    call void @__racecheck_func_exit()
  call void @llvm.masked.store.v2f64.p0(<2 x double> %v, ptr %p, i32 8, <2 x i1> %m)
  ret void
}

define <2 x i64> @gather_scatter(<2 x ptr> %ptrs, <2 x i16> %v) nounwind {
; CHECK-LABEL: define <2 x i64> @gather_scatter(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    [[G0:%[0-9]+]] = extractelement <2 x ptr> %ptrs, i64 0
; CHECK-NEXT:    call void @__racecheck_read8(ptr [[G0]],
; CHECK-NEXT:    [[G1:%[0-9]+]] = extractelement <2 x ptr> %ptrs, i64 1
; CHECK-NEXT:    call void @__racecheck_read8(ptr [[G1]],
; CHECK-NEXT:    %g = call <2 x i64> @llvm.masked.gather.v2i64.v2p0(
; CHECK-NEXT:    [[S1:%[0-9]+]] = extractelement <2 x ptr> %ptrs, i64 1
; CHECK-NEXT:    call void @__racecheck_write2(ptr [[S1]],
; CHECK-NEXT:    call void @llvm.masked.scatter.v2i16.v2p0(
  %g = call <2 x i64> @llvm.masked.gather.v2i64.v2p0(<2 x ptr> %ptrs, i32 8, <2 x i1> <i1 true, i1 true>, <2 x i64> zeroinitializer)
  call void @llvm.masked.scatter.v2i16.v2p0(<2 x i16> %v, <2 x ptr> %ptrs, i32 2, <2 x i1> <i1 false, i1 true>)
  ret <2 x i64> %g
}

; A masked access to a local that does not escape is not instrumented.
define void @private_local(<2 x double> %v, <2 x i1> %m) nounwind {
; CHECK-LABEL: define void @private_local(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    %buf = alloca <2 x double>
; CHECK-NEXT:    call void @llvm.masked.store.v2f64.p0(
; CHECK-NEXT:    call void @__racecheck_func_exit()
  %buf = alloca <2 x double>
  call void @llvm.masked.store.v2f64.p0(<2 x double> %v, ptr %buf, i32 8, <2 x i1> %m)
  ret void
}
