; Function entry and every exit: __racecheck_func_entry(&function_site) first
; in the entry block, __racecheck_func_exit() before each ret and resume, and,
; for calls that may throw in a function without a landing pad, a new cleanup
; landing pad that calls __racecheck_func_exit() and resumes unwinding.
; Runtime helpers (__racecheck_*), naked functions and functions with
; disable_sanitizer_instrumentation are left alone.
; RUN: %racecheck-opt %s | FileCheck %s
; Without exception handling only returns are exits.
; RUN: %opt -load-pass-plugin=%plugin -passes=racecheck -S %s \
; RUN:   -racecheck-handle-cxx-exceptions=false | FileCheck %s --check-prefix=NOEH

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; Without debug info a function's site is (source file, IR name, 0, 0).
; CHECK-DAG: @[[FILE:__racecheck_str[.0-9]*]] = private unnamed_addr constant [{{[0-9]+}} x i8] c"{{.*}}entry-exit.ll\00"
; CHECK-DAG: @[[NAME:__racecheck_str[.0-9]*]] = private unnamed_addr constant [12 x i8] c"two_returns\00"
; CHECK-DAG: @[[SITE:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[NAME]], i32 0, i32 0, ptr null }

declare void @may_throw()
declare void @never_throws() nounwind
declare i32 @__gxx_personality_v0(...)
declare ptr @__cxa_begin_catch(ptr)
declare void @__cxa_end_catch()

define i32 @two_returns(i1 %c) nounwind {
; CHECK-LABEL: define i32 @two_returns(
; CHECK-NEXT:    call void @__racecheck_func_entry(ptr @[[SITE]])
; CHECK-NEXT:    br i1 %c
; CHECK:       yes:
; CHECK-NEXT:    call void @__racecheck_func_exit()
; CHECK-NEXT:    ret i32 1
; CHECK:       no:
; CHECK-NEXT:    call void @__racecheck_func_exit()
; CHECK-NEXT:    ret i32 0
; CHECK-NOT:   racecheck_cleanup
; CHECK:       }
  br i1 %c, label %yes, label %no
yes:
  ret i32 1
no:
  ret i32 0
}

; A call that may throw gets a cleanup landing pad so the exit is seen
; when an exception unwinds through.
define void @calls_may_throw() {
; CHECK-LABEL: define void @calls_may_throw() personality ptr @{{.*}} {
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK:         invoke void @may_throw()
; CHECK-NEXT:      to label %{{.*}} unwind label %racecheck_cleanup
; CHECK:         call void @never_throws()
; CHECK:         call void @__racecheck_func_exit()
; CHECK-NEXT:    ret void
; CHECK:       racecheck_cleanup:
; CHECK-NEXT:    %{{.*}} = landingpad { ptr, i32 }
; CHECK-NEXT:      cleanup
; CHECK-NEXT:    call void @__racecheck_func_exit()
; CHECK-NEXT:    resume { ptr, i32 }
; NOEH-LABEL: define void @calls_may_throw() {
; NOEH-NEXT:    call void @__racecheck_func_entry(
; NOEH:         call void @may_throw()
; NOEH:         call void @__racecheck_func_exit()
; NOEH-NEXT:    ret void
; NOEH-NEXT:  }
  call void @may_throw()
  call void @never_throws()
  ret void
}

; An existing invoke/landingpad: the catch path returns normally, the
; rethrow path resumes; both exit.
define i32 @catches() personality ptr @__gxx_personality_v0 {
; CHECK-LABEL: define i32 @catches()
; CHECK-NEXT:  entry:
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK:         invoke void @may_throw()
; CHECK-NEXT:      to label %ok unwind label %lpad
; CHECK:       ok:
; CHECK-NEXT:    call void @__racecheck_func_exit()
; CHECK-NEXT:    ret i32 0
; CHECK:       lpad:
; CHECK-NEXT:    %lp = landingpad { ptr, i32 }
; CHECK:       caught:
; CHECK:         call void @__racecheck_func_exit()
; CHECK-NEXT:    ret i32 1
; CHECK:       rethrow:
; CHECK-NEXT:    call void @__racecheck_func_exit()
; CHECK-NEXT:    resume { ptr, i32 } %lp
entry:
  invoke void @may_throw() to label %ok unwind label %lpad
ok:
  ret i32 0
lpad:
  %lp = landingpad { ptr, i32 } catch ptr null
  %sel = extractvalue { ptr, i32 } %lp, 1
  %is = icmp eq i32 %sel, 1
  br i1 %is, label %caught, label %rethrow
caught:
  %exn = extractvalue { ptr, i32 } %lp, 0
  %obj = call ptr @__cxa_begin_catch(ptr %exn) nounwind
  call void @__cxa_end_catch() nounwind
  ret i32 1
rethrow:
  resume { ptr, i32 } %lp
}

; musttail: the exit call goes before the tail call, not between it and ret.
define i32 @tail(i32 %x) nounwind {
; CHECK-LABEL: define i32 @tail(
; CHECK:         call void @__racecheck_func_exit()
; CHECK-NEXT:    %r = musttail call i32 @callee(i32 %x)
; CHECK-NEXT:    ret i32 %r
  %r = musttail call i32 @callee(i32 %x)
  ret i32 %r
}
declare i32 @callee(i32) nounwind

define void @__racecheck_helper(ptr %p) {
; CHECK-LABEL: define void @__racecheck_helper(
; CHECK-NEXT:    store i32 0, ptr %p
; CHECK-NEXT:    ret void
  store i32 0, ptr %p
  ret void
}

define void @naked() naked {
; CHECK-LABEL: define void @naked(
; CHECK-NEXT:    call void asm sideeffect "ret", ""()
; CHECK-NEXT:    unreachable
  call void asm sideeffect "ret", ""()
  unreachable
}

define void @not_for_sanitizers(ptr %p) disable_sanitizer_instrumentation {
; CHECK-LABEL: define void @not_for_sanitizers(
; CHECK-NEXT:    store i32 0, ptr %p
; CHECK-NEXT:    ret void
  store i32 0, ptr %p
  ret void
}
