; Globals without debug info: the name is the demangled symbol, the layout is
; empty and the declaration site is (source file, "", 0, 0). Globals the
; runtime must not see are left out: constants, thread-locals, declarations,
; available_externally copies, special sections, llvm.* and __racecheck*
; names, profiling counters, zero-sized objects, and local symbols inside a
; comdat (the group may be discarded, the table cannot be).
; RUN: %racecheck-opt %s | FileCheck %s
; A module without any global to register still initializes the runtime.
; RUN: %racecheck-opt %s -racecheck-register-globals=false \
; RUN:   | FileCheck %s --check-prefix=NOGLOBALS

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

$group = comdat any

@counter = global i32 0
@_ZN2ns5valueE = global i64 0
@_ZZ4mainE5calls = internal global [3 x i16] zeroinitializer
@constant = constant i32 1
@tls = thread_local global i32 0
@extern = external global i32
@inline_copy = available_externally global i32 0
@in_section = global i32 0, section "mydata"
@llvm.compiler.used = appending global [1 x ptr] [ptr @counter], section "llvm.metadata"
@__racecheck_private = global i32 0
@__profc_main = global [1 x i64] zeroinitializer
@__llvm_gcov_ctr = internal global [1 x i64] zeroinitializer
@empty = global {} zeroinitializer
@local_in_group = internal global i32 0, comdat($group)
@group = linkonce_odr global i32 0, comdat

; CHECK-DAG: @[[FILE:__racecheck_str[.0-9]*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"{{.*}}globals-no-debug-info.ll\00"
; CHECK-DAG: @[[EMPTY:__racecheck_str[.0-9]*]] = private unnamed_addr constant [1 x i8] zeroinitializer
; CHECK-DAG: @[[COUNTER:__racecheck_str[.0-9]*]] = private unnamed_addr constant [8 x i8] c"counter\00"
; CHECK-DAG: @[[VALUE:__racecheck_str[.0-9]*]] = private unnamed_addr constant [10 x i8] c"ns::value\00"
; CHECK-DAG: @[[CALLS:__racecheck_str[.0-9]*]] = private unnamed_addr constant [12 x i8] c"main::calls\00"
; CHECK-DAG: @[[GROUP:__racecheck_str[.0-9]*]] = private unnamed_addr constant [6 x i8] c"group\00"
; CHECK-DAG: @[[SITE:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[EMPTY]], i32 0, i32 0, ptr null }
; CHECK: @__racecheck_globals = private constant [4 x { ptr, i64, ptr, ptr, ptr }] [
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @counter, i64 4, ptr @[[COUNTER]], ptr @[[EMPTY]], ptr @[[SITE]] },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @_ZN2ns5valueE, i64 8, ptr @[[VALUE]], ptr @[[EMPTY]], ptr @[[SITE]] },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @_ZZ4mainE5calls, i64 6, ptr @[[CALLS]], ptr @[[EMPTY]], ptr @[[SITE]] },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @group, i64 4, ptr @[[GROUP]], ptr @[[EMPTY]], ptr @[[SITE]] }]
; CHECK-LABEL: define internal void @__racecheck_module_ctor()
; CHECK-NEXT:    call void @__racecheck_init(i32 1)
; CHECK-NEXT:    call void @__racecheck_register_globals(ptr @__racecheck_globals, i64 4)
; CHECK-NEXT:    ret void

; NOGLOBALS-NOT: @__racecheck_globals =
; NOGLOBALS-LABEL: define internal void @__racecheck_module_ctor()
; NOGLOBALS-NEXT:    call void @__racecheck_init(i32 1)
; NOGLOBALS-NEXT:    ret void
