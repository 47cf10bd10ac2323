; Source paths and lines of sites in optimized code.
;
; Paths: a site records the DIFile name joined with the DIFile directory when
; the name is relative, so reports can name the file wherever they are read;
; an absolute name, or an empty directory, leaves the name as it is, and "./"
; components are dropped ("../" is kept: resolving it lexically is wrong
; across symlinks).
;
; Lines: a loop preheader that holds only code LICM hoisted (no location, no
; other access to the same address) takes the line of the first located
; instruction on the straight-line path after it (the loop header), and an
; exit block likewise the line before it; only code with no located
; neighbour at all keeps line 0.
; RUN: %racecheck-opt %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; CHECK-DAG: @[[JOINED:__racecheck_str[.0-9]*]] = private unnamed_addr constant [22 x i8] c"/work/proj/src/loop.c\00"
; CHECK-DAG: @[[ABSOLUTE:__racecheck_str[.0-9]*]] = private unnamed_addr constant [17 x i8] c"/usr/include/x.h\00"
; CHECK-DAG: @[[NODIR:__racecheck_str[.0-9]*]] = private unnamed_addr constant [7 x i8] c"bare.c\00"
; CHECK-DAG: @[[DOTTED:__racecheck_str[.0-9]*]] = private unnamed_addr constant [22 x i8] c"/work/proj/../gen/g.c\00"
; CHECK-DAG: @[[HEADER:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[JOINED]], ptr @{{__racecheck_str[.0-9]*}}, i32 14, i32 7, ptr null }
; CHECK-DAG: @[[AFTER:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[JOINED]], ptr @{{__racecheck_str[.0-9]*}}, i32 16, i32 3, ptr null }
; CHECK-DAG: @[[ABS_FN:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[ABSOLUTE]], ptr @{{__racecheck_str[.0-9]*}}, i32 5, i32 0, ptr null }
; CHECK-DAG: @[[NODIR_FN:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[NODIR]], ptr @{{__racecheck_str[.0-9]*}}, i32 7, i32 0, ptr null }
; CHECK-DAG: @[[DOTTED_FN:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[DOTTED]], ptr @{{__racecheck_str[.0-9]*}}, i32 9, i32 0, ptr null }
; CHECK-DAG: @[[LINE0:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[JOINED]], ptr @{{__racecheck_str[.0-9]*}}, i32 0, i32 0, ptr null }

@counter = global i64 0
@total = global i64 0
@other = global i64 0

define void @increment_many(i64 %n) nounwind !dbg !10 {
; CHECK-LABEL: define void @increment_many(
; CHECK:       preheader:
; CHECK-NEXT:    call void @__racecheck_read8(ptr @counter, ptr @[[HEADER]])
; CHECK:       exit:
; CHECK-NEXT:    call void @__racecheck_write8(ptr @total, ptr @[[AFTER]])
entry:
  br label %preheader
preheader:
  ; hoisted out of the loop: no location, no other access to @counter
  %start = load i64, ptr @counter
  br label %loop
loop:
  %i = phi i64 [ 0, %preheader ], [ %next, %loop ]
  %next = add i64 %i, 1, !dbg !20
  %done = icmp eq i64 %next, %n, !dbg !20
  br i1 %done, label %exit, label %loop, !dbg !20
exit:
  ; sunk after the loop: no location; the line before is the loop's
  store i64 %next, ptr @total
  br label %tail
tail:
  ret void, !dbg !21
}

define void @nothing_located() nounwind !dbg !11 {
; CHECK-LABEL: define void @nothing_located(
; CHECK:         call void @__racecheck_write8(ptr @other, ptr @[[LINE0]])
  store i64 1, ptr @other
  ret void
}

define void @in_header() nounwind !dbg !12 {
; CHECK-LABEL: define void @in_header(
; CHECK-NEXT:    call void @__racecheck_func_entry(ptr @[[ABS_FN]])
  ret void
}

define void @no_directory() nounwind !dbg !13 {
; CHECK-LABEL: define void @no_directory(
; CHECK-NEXT:    call void @__racecheck_func_entry(ptr @[[NODIR_FN]])
  ret void
}

define void @dotted() nounwind !dbg !14 {
; CHECK-LABEL: define void @dotted(
; CHECK-NEXT:    call void @__racecheck_func_entry(ptr @[[DOTTED_FN]])
  ret void
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}
!0 = distinct !DICompileUnit(language: DW_LANG_C99, file: !1, producer: "hand", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "src/loop.c", directory: "/work/proj")
!2 = !{i32 7, !"Dwarf Version", i32 5}
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = !DIFile(filename: "/usr/include/x.h", directory: "/work/proj")
!5 = !DIFile(filename: "bare.c", directory: "")
!7 = !DIFile(filename: "./../gen/./g.c", directory: "/work/proj")
!6 = !DISubroutineType(types: !{null})
!10 = distinct !DISubprogram(name: "increment_many", scope: !1, file: !1, line: 11, type: !6, scopeLine: 11, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!11 = distinct !DISubprogram(name: "nothing_located", scope: !1, file: !1, line: 20, type: !6, scopeLine: 20, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!12 = distinct !DISubprogram(name: "in_header", scope: !4, file: !4, line: 5, type: !6, scopeLine: 5, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!13 = distinct !DISubprogram(name: "no_directory", scope: !5, file: !5, line: 7, type: !6, scopeLine: 7, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!14 = distinct !DISubprogram(name: "dotted", scope: !7, file: !7, line: 9, type: !6, scopeLine: 9, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!20 = !DILocation(line: 14, column: 7, scope: !10)
!21 = !DILocation(line: 16, column: 3, scope: !10)
