; A module is instrumented once: the pass sets the module flag
; "racecheck.instrumented" and does nothing to a module that has it (as when
; both -fplugin and -fpass-plugin are given, or LTO runs the pipeline again).
; RUN: %racecheck-opt %s | FileCheck %s --check-prefix=ONCE
; RUN: %opt -load-pass-plugin=%plugin -passes=racecheck,racecheck -S %s \
; RUN:   | FileCheck %s --check-prefix=ONCE
; RUN: %racecheck-opt %s | %racecheck-opt - | FileCheck %s --check-prefix=ONCE
; RUN: sed -e 's/^;FLAG: //' %s | %racecheck-opt - \
; RUN:   | FileCheck %s --check-prefix=ALREADY --implicit-check-not=__racecheck

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@g = global i32 0

define void @f() nounwind {
  store i32 1, ptr @g
  ret void
}

; ONCE:          @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 0, ptr @__racecheck_module_ctor, ptr null }]
; ONCE-LABEL:    define void @f()
; ONCE-NEXT:       call void @__racecheck_func_entry(
; ONCE-NEXT:       call void @__racecheck_write4(ptr @g,
; ONCE-NEXT:       store i32 1, ptr @g
; ONCE-NEXT:       call void @__racecheck_func_exit()
; ONCE-NEXT:       ret void
; ONCE-LABEL:    define internal void @__racecheck_module_ctor()
; ONCE-NEXT:       call void @__racecheck_init(i32 1)
; ONCE-NEXT:       call void @__racecheck_register_globals(ptr @__racecheck_globals, i64 1)
; ONCE-NEXT:       ret void
; ONCE-NOT:      define {{.*}}@__racecheck_module_ctor
; ONCE:          !{i32 7, !"racecheck.instrumented", i32 1}

; ALREADY-LABEL: define void @f()
; ALREADY-NEXT:    store i32 1, ptr @g
; ALREADY-NEXT:    ret void
; ALREADY:         !{i32 1, !"racecheck.instrumented", i32 1}

;FLAG: !llvm.module.flags = !{!0}
;FLAG: !0 = !{i32 1, !"racecheck.instrumented", i32 1}
