; What cannot race is not instrumented: locals whose address never escapes,
; constant globals, llvm.* globals, the runtime's own TLS variable. Locals
; that escape (passed to a call, stored to memory, returned) are.
; RUN: %racecheck-opt %s | FileCheck %s

; The module's own declaration of the call-site variable (from interface.h)
; is used, with the initial-exec model.
; CHECK: @__racecheck_call_site = external thread_local(initialexec) global ptr

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@table = constant [4 x i32] [i32 1, i32 2, i32 3, i32 4]
@shared = global i32 0
@slot = global ptr null
@__racecheck_call_site = external thread_local global ptr

declare void @use(ptr) nounwind

define i32 @private_local(i32 %x) {
; CHECK-LABEL: define i32 @private_local(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    %local = alloca i32
; CHECK-NEXT:    %pair = alloca [2 x i32]
; CHECK-NEXT:    store i32 %x, ptr %local
; CHECK-NEXT:    %second = getelementptr [2 x i32], ptr %pair, i64 0, i64 1
; CHECK-NEXT:    store i32 %x, ptr %second
; CHECK-NEXT:    %v = load i32, ptr %local
; CHECK-NEXT:    %w = load i32, ptr %second
; CHECK-NEXT:    %sum = add i32 %v, %w
; CHECK-NEXT:    call void @__racecheck_func_exit()
; CHECK-NEXT:    ret i32 %sum
  %local = alloca i32
  %pair = alloca [2 x i32]
  store i32 %x, ptr %local
  %second = getelementptr [2 x i32], ptr %pair, i64 0, i64 1
  store i32 %x, ptr %second
  %v = load i32, ptr %local
  %w = load i32, ptr %second
  %sum = add i32 %v, %w
  ret i32 %sum
}

define i32 @escaping_locals(i32 %x) nounwind {
; CHECK-LABEL: define i32 @escaping_locals(
; CHECK:         call void @__racecheck_write4(ptr %passed,
; CHECK-NEXT:    store i32 %x, ptr %passed
; CHECK:         call void @use(ptr %passed)
; CHECK-NEXT:    call void @__racecheck_read4(ptr %passed,
; CHECK-NEXT:    %a = load i32, ptr %passed
; CHECK-NEXT:    call void @__racecheck_write8(ptr @slot,
; CHECK-NEXT:    store ptr %published, ptr @slot
; CHECK-NEXT:    call void @__racecheck_write4(ptr %published,
; CHECK-NEXT:    store i32 %a, ptr %published
  %passed = alloca i32
  %published = alloca i32
  store i32 %x, ptr %passed
  call void @use(ptr %passed)
  %a = load i32, ptr %passed
  store ptr %published, ptr @slot
  store i32 %a, ptr %published
  ret i32 %a
}

define ptr @returned_local() {
; CHECK-LABEL: define ptr @returned_local(
; CHECK:         call void @__racecheck_write4(ptr %r,
; CHECK-NEXT:    store i32 1, ptr %r
  %r = alloca i32
  store i32 1, ptr %r
  ret ptr %r
}

define i32 @globals(i64 %i) {
; CHECK-LABEL: define i32 @globals(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    %elem = getelementptr [4 x i32], ptr @table, i64 0, i64 %i
; CHECK-NEXT:    %c = load i32, ptr %elem
; CHECK-NEXT:    %site = load ptr, ptr @__racecheck_call_site
; CHECK-NEXT:    call void @__racecheck_read4(ptr @shared,
; CHECK-NEXT:    %s = load i32, ptr @shared
  %elem = getelementptr [4 x i32], ptr @table, i64 0, i64 %i
  %c = load i32, ptr %elem
  %site = load ptr, ptr @__racecheck_call_site
  %s = load i32, ptr @shared
  %r = add i32 %c, %s
  ret i32 %r
}
