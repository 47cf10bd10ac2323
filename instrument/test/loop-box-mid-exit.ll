; Box checks for a loop whose exit test is in the middle of its body, as the
; vectorizer and the unroller leave it: the accesses before the test run on
; every iteration (backedge-taken + 1 times), those after it on all but the
; last (backedge-taken times). The copies of one access on both sides of the
; test still merge into one gapless box, whose count is the sum of theirs.
; RUN: %racecheck-opt %s | FileCheck %s

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; p[0], p[2], ..., p[10] before the test (6 times), p[1], p[3], ..., p[9]
; after it (5 times): one box of 11 elements, 8 bytes apart.
; CHECK-LABEL: define void @unrolled_with_exit_in_the_middle(
; CHECK:       call void @__racecheck_write_box(ptr %p, i64 8, i64 11, i64 8, i64 1, i64 0, i64 1, i64 0,
; CHECK-NOT:   call void @__racecheck_write
; CHECK:       ret void
define void @unrolled_with_exit_in_the_middle(ptr %p) {
entry:
  br label %header

header:
  %i = phi i64 [ 0, %entry ], [ %i.next, %latch ]
  %a = getelementptr inbounds i64, ptr %p, i64 %i
  store i64 1, ptr %a, align 8
  %done = icmp eq i64 %i, 10
  br i1 %done, label %exit, label %latch

latch:
  %odd = or disjoint i64 %i, 1
  %b = getelementptr inbounds i64, ptr %p, i64 %odd
  store i64 2, ptr %b, align 8
  %i.next = add nuw nsw i64 %i, 2
  br label %header

exit:
  ret void
}

; Only after the test, and the loop may leave at once (n = 0): the box's
; count is the backedge-taken count, n here, which the runtime skips when 0.
; CHECK-LABEL: define void @only_after_the_exit_test(
; CHECK:       call void @__racecheck_write_box(ptr %p, i64 4, i64 %n, i64 4, i64 1, i64 0, i64 1, i64 0,
; CHECK-NOT:   call void @__racecheck_write
; CHECK:       ret void
define void @only_after_the_exit_test(ptr %p, i64 %n) {
entry:
  br label %header

header:
  %i = phi i64 [ 0, %entry ], [ %i.next, %latch ]
  %done = icmp eq i64 %i, %n
  br i1 %done, label %exit, label %latch

latch:
  %a = getelementptr inbounds i32, ptr %p, i64 %i
  store i32 0, ptr %a, align 4
  %i.next = add nuw i64 %i, 1
  br label %header

exit:
  ret void
}

; An invariant address after the test: the level stays in the box with
; stride 0 and count n, so that nothing is checked when n is 0.
; CHECK-LABEL: define void @invariant_after_the_exit_test(
; CHECK:       call void @__racecheck_write_box(ptr %p, i64 4, i64 %n, i64 0, i64 1, i64 0, i64 1, i64 0,
; CHECK-NOT:   call void @__racecheck_write
; CHECK:       ret void
define void @invariant_after_the_exit_test(ptr %p, i64 %n) {
entry:
  br label %header

header:
  %i = phi i64 [ 0, %entry ], [ %i.next, %latch ]
  %done = icmp eq i64 %i, %n
  br i1 %done, label %exit, label %latch

latch:
  store i32 0, ptr %p, align 4
  %i.next = add nuw i64 %i, 1
  br label %header

exit:
  ret void
}

; Two exits: the trip count of each path is unknown, so the store keeps its
; per-iteration check.
; CHECK-LABEL: define void @two_exits(
; CHECK-NOT:   _box
; CHECK:       call void @__racecheck_write4(
; CHECK:       ret void
define void @two_exits(ptr %p, i64 %n, ptr %stop) {
entry:
  br label %header

header:
  %i = phi i64 [ 0, %entry ], [ %i.next, %latch ]
  %a = getelementptr inbounds i32, ptr %p, i64 %i
  store i32 0, ptr %a, align 4
  %s = getelementptr inbounds i8, ptr %stop, i64 %i
  %c = load i8, ptr %s, align 1
  %early = icmp eq i8 %c, 0
  br i1 %early, label %exit, label %latch

latch:
  %i.next = add nuw i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %header

exit:
  ret void
}
