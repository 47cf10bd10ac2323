; Site descriptors: one private constant { file, function, line, column,
; inlined_at } per distinct source position, inlining chain included.
; function is the innermost subprogram's linkage name, or its name when it
; has none; inlined_at points to the site the code was inlined into. A
; function's own site is its DISubprogram line with column 0. Strings are
; private unnamed_addr constants, each content once. An access whose location
; an optimization dropped (or zeroed) borrows that of another access to the
; same address, else that of the nearest located instruction in its block,
; else gets line 0. (Elision is off: the load and store at 10:3 would share
; one check; elide-read-before-write.ll tests that.)
; RUN: %racecheck-opt %s -racecheck-elide-read-before-write=false | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@x = global i32 0
@y = global i32 0

; CHECK-DAG: @[[FILE:__racecheck_str[.0-9]*]] = private unnamed_addr constant [14 x i8] c"/src/shared.c\00"
; CHECK-DAG: @[[HDR:__racecheck_str[.0-9]*]] = private unnamed_addr constant [14 x i8] c"/src/inline.h\00"
; CHECK-DAG: @[[OUTER:__racecheck_str[.0-9]*]] = private unnamed_addr constant [10 x i8] c"_Z5outerv\00"
; CHECK-DAG: @[[MID:__racecheck_str[.0-9]*]] = private unnamed_addr constant [7 x i8] c"middle\00"
; CHECK-DAG: @[[INNER:__racecheck_str[.0-9]*]] = private unnamed_addr constant [6 x i8] c"inner\00"
;   outer's own code at 10:3 (twice: one descriptor), 11:5
; CHECK-DAG: @[[AT10:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[OUTER]], i32 10, i32 3, ptr null }, align 8
; CHECK-DAG: @[[AT11:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[OUTER]], i32 11, i32 5, ptr null }, align 8
;   middle inlined into outer at 12:7, inner inlined into middle at 21:4
; CHECK-DAG: @[[CALL12:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[OUTER]], i32 12, i32 7, ptr null }, align 8
; CHECK-DAG: @[[CALL21:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[MID]], i32 21, i32 4, ptr @[[CALL12]] }, align 8
; CHECK-DAG: @[[AT31:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[HDR]], ptr @[[INNER]], i32 31, i32 9, ptr @[[CALL21]] }, align 8
;   outer's own site: line 9, column 0
; CHECK-DAG: @[[FN:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[OUTER]], i32 9, i32 0, ptr null }, align 8
;   a function where nothing has a location: line 0
; CHECK-DAG: @[[BARENAME:__racecheck_str[.0-9]*]] = private unnamed_addr constant [5 x i8] c"bare\00"
; CHECK-DAG: @[[NOLOC:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[BARENAME]], i32 0, i32 0, ptr null }, align 8

define void @_Z5outerv() nounwind !dbg !10 {
; CHECK-LABEL: define void @_Z5outerv()
; CHECK-NEXT:    call void @__racecheck_func_entry(ptr @[[FN]])
; CHECK-NEXT:    call void @__racecheck_read4(ptr @x, ptr @[[AT10]])
; CHECK-NEXT:    load
; CHECK-NEXT:    call void @__racecheck_write4(ptr @x, ptr @[[AT10]])
; CHECK-NEXT:    store
; CHECK-NEXT:    call void @__racecheck_write4(ptr @x, ptr @[[AT11]])
; CHECK-NEXT:    store
; CHECK-NEXT:    call void @__racecheck_write4(ptr @x, ptr @[[AT31]])
; CHECK-NEXT:    store
; CHECK-NEXT:    call void @__racecheck_read4(ptr @x, ptr @[[AT10]])
; CHECK-NEXT:    %b = load i32, ptr @x, align 4{{$}}
; CHECK-NEXT:    call void @__racecheck_write4(ptr @y, ptr @[[AT11]])
; CHECK-NEXT:    store i32 %b, ptr @y, align 4, !dbg [[ZERO:![0-9]+]]
  %a = load i32, ptr @x, !dbg !20
  store i32 %a, ptr @x, !dbg !21
  store i32 1, ptr @x, !dbg !22
  store i32 2, ptr @x, !dbg !23
  ; hoisted: no location; @x was accessed at 10:3 first
  %b = load i32, ptr @x
  ; merged: line 0; no other access to @y, the ret after it is at 11:5
  store i32 %b, ptr @y, !dbg !26
  ret void, !dbg !22
}

define void @bare() nounwind !dbg !14 {
; CHECK-LABEL: define void @bare()
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    call void @__racecheck_write4(ptr @y, ptr @[[NOLOC]])
  store i32 0, ptr @y
  ret void
}

; CHECK: [[ZERO]] = !DILocation(line: 0, scope: !{{[0-9]+}})

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}
!0 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus, file: !1, producer: "hand", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "shared.c", directory: "/src")
!2 = !{i32 7, !"Dwarf Version", i32 5}
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = !DIFile(filename: "inline.h", directory: "/src")
!6 = !DISubroutineType(types: !{null})
!10 = distinct !DISubprogram(name: "outer", linkageName: "_Z5outerv", scope: !1, file: !1, line: 9, type: !6, scopeLine: 9, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!11 = distinct !DISubprogram(name: "middle", scope: !1, file: !1, line: 20, type: !6, scopeLine: 20, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!12 = distinct !DISubprogram(name: "inner", scope: !4, file: !4, line: 30, type: !6, scopeLine: 30, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!14 = distinct !DISubprogram(name: "bare", scope: !1, file: !1, line: 40, type: !6, scopeLine: 40, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!13 = distinct !DILexicalBlock(scope: !10, file: !1, line: 10, column: 1)
!20 = !DILocation(line: 10, column: 3, scope: !10)
; Same position in a nested lexical block: the same descriptor.
!21 = !DILocation(line: 10, column: 3, scope: !13)
!22 = !DILocation(line: 11, column: 5, scope: !10)
!23 = !DILocation(line: 31, column: 9, scope: !12, inlinedAt: !24)
!24 = distinct !DILocation(line: 21, column: 4, scope: !11, inlinedAt: !25)
!25 = distinct !DILocation(line: 12, column: 7, scope: !10)
!26 = !DILocation(line: 0, scope: !10)
