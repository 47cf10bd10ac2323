; Before every call or invoke to a real function, direct or indirect, the
; call's site is stored into the runtime's initial-exec TLS variable
; __racecheck_call_site. Not before intrinsics, inline asm, or calls to the
; runtime itself.
; RUN: %racecheck-opt %s | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes=racecheck -S %s \
; RUN:   -racecheck-instrument-calls=false | FileCheck %s --check-prefix=OFF \
; RUN:   --implicit-check-not="store ptr @__racecheck_site"

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; CHECK-DAG: @__racecheck_call_site = external thread_local(initialexec) global ptr
; The sites are those of the calls: lines 3, 4 and 5 of calls.c.
; CHECK-DAG: @[[FILE:__racecheck_str[.0-9]*]] = private unnamed_addr constant [13 x i8] c"/src/calls.c\00"
; CHECK-DAG: @[[FN:__racecheck_str[.0-9]*]] = private unnamed_addr constant [6 x i8] c"calls\00"
; CHECK-DAG: @[[S1:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[FN]], i32 3, i32 7, ptr null }
; CHECK-DAG: @[[S2:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[FN]], i32 4, i32 5, ptr null }
; CHECK-DAG: @[[S3:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[FN]], i32 5, i32 9, ptr null }

declare void @f() nounwind
declare void @g()
declare void @__racecheck_progress() nounwind
declare void @llvm.donothing() nounwind
declare i32 @__gxx_personality_v0(...)

define void @calls(ptr %fp) nounwind personality ptr @__gxx_personality_v0 !dbg !5 {
; CHECK-LABEL: define void @calls(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    store ptr @[[S1]], ptr @__racecheck_call_site
; CHECK-NEXT:    call void @f()
; CHECK-NEXT:    store ptr @[[S2]], ptr @__racecheck_call_site
; CHECK-NEXT:    call void %fp()
; CHECK-NEXT:    call void @llvm.donothing()
; CHECK-NEXT:    call void asm sideeffect "nop", ""()
; CHECK-NEXT:    call void @__racecheck_progress()
; CHECK-NEXT:    store ptr @[[S3]], ptr @__racecheck_call_site
; CHECK-NEXT:    invoke void @g()
; CHECK-NEXT:      to label %done unwind label %lpad
; OFF-LABEL: define void @calls(
; OFF: call void @f()
  call void @f(), !dbg !10
  call void %fp(), !dbg !11
  call void @llvm.donothing()
  call void asm sideeffect "nop", ""()
  call void @__racecheck_progress()
  invoke void @g() to label %done unwind label %lpad, !dbg !12
done:
  ret void
lpad:
  %lp = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %lp
}


!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}
!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "hand", isOptimized: false, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "calls.c", directory: "/src")
!2 = !{i32 7, !"Dwarf Version", i32 5}
!3 = !{i32 2, !"Debug Info Version", i32 3}
!5 = distinct !DISubprogram(name: "calls", scope: !1, file: !1, line: 2, type: !6, scopeLine: 2, spFlags: DISPFlagDefinition, unit: !0)
!6 = !DISubroutineType(types: !{null})
!10 = !DILocation(line: 3, column: 7, scope: !5)
!11 = !DILocation(line: 4, column: 5, scope: !5)
!12 = !DILocation(line: 5, column: 9, scope: !5)
