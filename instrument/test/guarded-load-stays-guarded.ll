; The optimiser must not make accesses the program does not make: with the
; plugin loaded, every defined function is marked sanitize_thread at the
; start of the pipeline, so at -O2 the load of @payload stays under its
; condition and is checked only there. Without the marking, SimplifyCFG
; speculates the load (a global is dereferenceable) into a select, an
; unconditional read that would be reported as a race.
; RUN: %opt -load-pass-plugin=%plugin -passes='default<O2>' -S %s | FileCheck %s
; RUN: %opt -load-pass-plugin=%plugin -passes='default<O2>' -S %s \
; RUN:   -racecheck-mark-sanitize-thread=0 | FileCheck %s --check-prefix=HOISTED
; RUN: %opt -load-pass-plugin=%plugin -passes=racecheck-mark-sanitize-thread -S %s \
; RUN:   | FileCheck %s --check-prefix=MARKED

target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@payload = global i32 0, align 4
@ready = global i32 0, align 4

; CHECK: define {{.*}}i32 @read_if_ready() {{.*}}#[[ATTRS:[0-9]+]]
; CHECK:         load atomic i32, ptr @ready acquire
; CHECK:         br i1
; CHECK:       {{^[0-9a-z.]+}}:
; CHECK-NEXT:    call void @__racecheck_read4(ptr @payload,
; CHECK-NEXT:    load i32, ptr @payload
; CHECK:         phi i32
; CHECK-NOT:     select
; CHECK:       attributes #[[ATTRS]] = { {{.*}}sanitize_thread

; HOISTED-LABEL: define {{.*}}i32 @read_if_ready()
; HOISTED:         load atomic i32, ptr @ready acquire
; HOISTED:         call void @__racecheck_read4(ptr @payload,
; HOISTED-NEXT:    load i32, ptr @payload
; HOISTED-NEXT:    select

; Definitions are marked, declarations are not; a function the user
; excluded from sanitizers keeps the optimiser's freedom.
; MARKED: define i32 @read_if_ready() #[[MARK:[0-9]+]]
; MARKED: define void @excluded() #[[EXCLUDED:[0-9]+]]
; MARKED: declare void @external(){{$}}
; MARKED-DAG: attributes #[[MARK]] = { sanitize_thread }
; MARKED-DAG: attributes #[[EXCLUDED]] = { disable_sanitizer_instrumentation }
define i32 @read_if_ready() {
entry:
  %flag = load atomic i32, ptr @ready acquire, align 4
  %set = icmp ne i32 %flag, 0
  br i1 %set, label %then, label %done

then:
  %value = load i32, ptr @payload, align 4
  br label %done

done:
  %result = phi i32 [ %value, %then ], [ 0, %entry ]
  ret i32 %result
}

define void @excluded() disable_sanitizer_instrumentation {
  call void @external()
  ret void
}

declare void @external()
