; Read-before-write elision and repeated-access dedup within a basic block
; (ThreadSanitizer's chooseInstructionsToInstrument): a plain load whose
; pointer a later plain store of at least its size writes, on the same source
; line, with no call, atomic or fence in between, gets no check of its own;
; nor does an access identical to the check just before it. Everything else
; keeps its check. -racecheck-elide-read-before-write=false checks every
; access.
; RUN: %racecheck-opt %s | FileCheck %s
; RUN: %racecheck-opt %s -racecheck-elide-read-before-write=false \
; RUN:   | FileCheck %s --check-prefix=OFF

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@x = global i32 0
@y = global i32 0

declare void @opaque() nounwind
declare float @llvm.fmuladd.f32(float, float, float)

; x++: one write check, no read check.
define void @increment() !dbg !10 {
; CHECK-LABEL: define void @increment(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    %v = load i32, ptr @x
; CHECK-NEXT:    %inc = add i32 %v, 1
; CHECK-NEXT:    call void @__racecheck_write4(ptr @x,
; CHECK-NEXT:    store i32 %inc, ptr @x
; OFF-LABEL: define void @increment(
; OFF:           call void @__racecheck_read4(ptr @x,
; OFF-NEXT:      %v = load i32, ptr @x
; OFF:           call void @__racecheck_write4(ptr @x,
; OFF-NEXT:      store i32 %inc, ptr @x
  %v = load i32, ptr @x, !dbg !11
  %inc = add i32 %v, 1, !dbg !11
  store i32 %inc, ptr @x, !dbg !11
  ret void
}

; a[i] += b * c, through a pure intrinsic in between: still elided.
define void @accumulate(ptr %a, float %b, float %c) !dbg !20 {
; CHECK-LABEL: define void @accumulate(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    %old = load float, ptr %a
; CHECK-NEXT:    %new = call float @llvm.fmuladd.f32(
; CHECK-NEXT:    call void @__racecheck_write4(ptr %a,
; CHECK-NEXT:    store float %new, ptr %a
  %old = load float, ptr %a, !dbg !21
  %new = call float @llvm.fmuladd.f32(float %b, float %c, float %old), !dbg !21
  store float %new, ptr %a, !dbg !21
  ret void
}

; The store writes another pointer: the load keeps its check.
define void @different_pointer(ptr %p, ptr %q) !dbg !30 {
; CHECK-LABEL: define void @different_pointer(
; CHECK:         call void @__racecheck_read4(ptr %p,
; CHECK-NEXT:    %v = load i32, ptr %p
; CHECK-NEXT:    call void @__racecheck_write4(ptr %q,
; CHECK-NEXT:    store i32 %v, ptr %q
  %v = load i32, ptr %p, !dbg !31
  store i32 %v, ptr %q, !dbg !31
  ret void
}

; A call between the load and the store may synchronize: kept.
define void @call_in_between() !dbg !40 {
; CHECK-LABEL: define void @call_in_between(
; CHECK:         call void @__racecheck_read4(ptr @x,
; CHECK-NEXT:    %v = load i32, ptr @x
; CHECK:         call void @opaque()
; CHECK-NEXT:    call void @__racecheck_write4(ptr @x,
; CHECK-NEXT:    store i32 %v, ptr @x
  %v = load i32, ptr @x, !dbg !41
  call void @opaque(), !dbg !41
  store i32 %v, ptr @x, !dbg !41
  ret void
}

; A narrower store does not cover the whole read: kept.
define void @smaller_store(ptr %p) !dbg !50 {
; CHECK-LABEL: define void @smaller_store(
; CHECK:         call void @__racecheck_read8(ptr %p,
; CHECK-NEXT:    %v = load i64, ptr %p
; CHECK:         call void @__racecheck_write4(ptr %p,
; CHECK-NEXT:    store i32 %t, ptr %p
  %v = load i64, ptr %p, !dbg !51
  %t = trunc i64 %v to i32, !dbg !51
  store i32 %t, ptr %p, !dbg !51
  ret void
}

; A wider store covers the read: elided.
define void @wider_store(ptr %p) !dbg !55 {
; CHECK-LABEL: define void @wider_store(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    %v = load i32, ptr %p
; CHECK-NEXT:    %w = zext i32 %v to i64
; CHECK-NEXT:    call void @__racecheck_write8(ptr %p,
; CHECK-NEXT:    store i64 %w, ptr %p
  %v = load i32, ptr %p, !dbg !56
  %w = zext i32 %v to i64, !dbg !56
  store i64 %w, ptr %p, !dbg !56
  ret void
}

; The load and the store are on different lines: the load keeps its check so
; a race on it is reported at its own line.
define void @different_line() !dbg !60 {
; CHECK-LABEL: define void @different_line(
; CHECK:         call void @__racecheck_read4(ptr @x,
; CHECK-NEXT:    %v = load i32, ptr @x
; CHECK:         call void @__racecheck_write4(ptr @x,
; CHECK-NEXT:    store i32 %inc, ptr @x
  %v = load i32, ptr @x, !dbg !61
  %inc = add i32 %v, 1, !dbg !62
  store i32 %inc, ptr @x, !dbg !62
  ret void
}

; An atomic (or a fence) in between orders memory between threads: kept.
define void @atomic_in_between() !dbg !70 {
; CHECK-LABEL: define void @atomic_in_between(
; CHECK:         call void @__racecheck_read4(ptr @x,
; CHECK-NEXT:    %v = load i32, ptr @x
; CHECK:         call void @__racecheck_atomic_int_rmw(
; CHECK-NEXT:    %old = atomicrmw add ptr @y, i32 1 acq_rel
; CHECK:         call void @__racecheck_write4(ptr @x,
; CHECK-NEXT:    store i32 %v, ptr @x
; CHECK:         call void @__racecheck_read4(ptr @y,
; CHECK-NEXT:    %w = load i32, ptr @y
; CHECK-NEXT:    call void @__racecheck_atomic_fence(
; CHECK-NEXT:    fence release
; CHECK-NEXT:    call void @__racecheck_write4(ptr @y,
; CHECK-NEXT:    store i32 %w, ptr @y
  %v = load i32, ptr @x, !dbg !71
  %old = atomicrmw add ptr @y, i32 1 acq_rel, !dbg !71
  store i32 %v, ptr @x, !dbg !71
  %w = load i32, ptr @y, !dbg !71
  fence release, !dbg !71
  store i32 %w, ptr @y, !dbg !71
  ret void
}

; A volatile load is always checked.
define void @volatile_kept() !dbg !75 {
; CHECK-LABEL: define void @volatile_kept(
; CHECK:         call void @__racecheck_read4(ptr @x,
; CHECK-NEXT:    %v = load volatile i32, ptr @x
; CHECK-NEXT:    call void @__racecheck_write4(ptr @x,
; CHECK-NEXT:    store i32 %v, ptr @x
  %v = load volatile i32, ptr @x, !dbg !76
  store i32 %v, ptr @x, !dbg !76
  ret void
}

; A repeated read (or write) right after the same check: only the first is
; checked. One check in between (a possible scheduling point) keeps the
; repeat.
define i32 @duplicate_read(ptr %p) !dbg !80 {
; CHECK-LABEL: define i32 @duplicate_read(
; CHECK-NEXT:    call void @__racecheck_func_entry(
; CHECK-NEXT:    call void @__racecheck_read4(ptr %p,
; CHECK-NEXT:    %a = load i32, ptr %p
; CHECK-NEXT:    %b = load i32, ptr %p
; CHECK-NEXT:    call void @__racecheck_read4(ptr @y,
; CHECK-NEXT:    %c = load i32, ptr @y
; CHECK-NEXT:    call void @__racecheck_read4(ptr %p,
; CHECK-NEXT:    %d = load i32, ptr %p
; CHECK-NEXT:    %s1 = add i32 %a, %b
; CHECK-NEXT:    %s2 = add i32 %c, %d
; CHECK-NEXT:    %s = add i32 %s1, %s2
; CHECK-NEXT:    call void @__racecheck_write4(ptr @x,
; CHECK-NEXT:    store i32 %s, ptr @x
; CHECK-NEXT:    store i32 %s1, ptr @x
; CHECK-NEXT:    call void @__racecheck_func_exit()
; OFF-LABEL: define i32 @duplicate_read(
; OFF:           call void @__racecheck_read4(ptr %p,
; OFF-NEXT:      %a = load i32, ptr %p
; OFF-NEXT:      call void @__racecheck_read4(ptr %p,
; OFF-NEXT:      %b = load i32, ptr %p
  %a = load i32, ptr %p, !dbg !81
  %b = load i32, ptr %p, !dbg !81
  %c = load i32, ptr @y, !dbg !81
  %d = load i32, ptr %p, !dbg !81
  %s1 = add i32 %a, %b, !dbg !81
  %s2 = add i32 %c, %d, !dbg !81
  %s = add i32 %s1, %s2, !dbg !81
  store i32 %s, ptr @x, !dbg !81
  store i32 %s1, ptr @x, !dbg !81
  ret i32 %s
}

; The elision stays within one basic block.
define void @other_block() !dbg !90 {
; CHECK-LABEL: define void @other_block(
; CHECK:         call void @__racecheck_read4(ptr @x,
; CHECK-NEXT:    %v = load i32, ptr @x
; CHECK:       next:
; CHECK-NEXT:    call void @__racecheck_write4(ptr @x,
; CHECK-NEXT:    store i32 %v, ptr @x
  %v = load i32, ptr @x, !dbg !91
  br label %next
next:
  store i32 %v, ptr @x, !dbg !91
  ret void
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}

!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, emissionKind: FullDebug)
!1 = !DIFile(filename: "elide.c", directory: "/src")
!2 = !{i32 2, !"Debug Info Version", i32 3}
!3 = !{i32 7, !"Dwarf Version", i32 5}
!5 = !DISubroutineType(types: !{})
!10 = distinct !DISubprogram(name: "increment", scope: !1, file: !1, line: 1, type: !5, unit: !0)
!11 = !DILocation(line: 2, column: 4, scope: !10)
!20 = distinct !DISubprogram(name: "accumulate", scope: !1, file: !1, line: 5, type: !5, unit: !0)
!21 = !DILocation(line: 6, column: 8, scope: !20)
!30 = distinct !DISubprogram(name: "different_pointer", scope: !1, file: !1, line: 10, type: !5, unit: !0)
!31 = !DILocation(line: 11, column: 3, scope: !30)
!40 = distinct !DISubprogram(name: "call_in_between", scope: !1, file: !1, line: 15, type: !5, unit: !0)
!41 = !DILocation(line: 16, column: 3, scope: !40)
!50 = distinct !DISubprogram(name: "smaller_store", scope: !1, file: !1, line: 20, type: !5, unit: !0)
!51 = !DILocation(line: 21, column: 3, scope: !50)
!55 = distinct !DISubprogram(name: "wider_store", scope: !1, file: !1, line: 23, type: !5, unit: !0)
!56 = !DILocation(line: 24, column: 3, scope: !55)
!60 = distinct !DISubprogram(name: "different_line", scope: !1, file: !1, line: 25, type: !5, unit: !0)
!61 = !DILocation(line: 26, column: 11, scope: !60)
!62 = !DILocation(line: 27, column: 5, scope: !60)
!70 = distinct !DISubprogram(name: "atomic_in_between", scope: !1, file: !1, line: 30, type: !5, unit: !0)
!71 = !DILocation(line: 31, column: 3, scope: !70)
!75 = distinct !DISubprogram(name: "volatile_kept", scope: !1, file: !1, line: 33, type: !5, unit: !0)
!76 = !DILocation(line: 34, column: 3, scope: !75)
!80 = distinct !DISubprogram(name: "duplicate_read", scope: !1, file: !1, line: 35, type: !5, unit: !0)
!81 = !DILocation(line: 36, column: 3, scope: !80)
!90 = distinct !DISubprogram(name: "other_block", scope: !1, file: !1, line: 40, type: !5, unit: !0)
!91 = !DILocation(line: 41, column: 3, scope: !90)
