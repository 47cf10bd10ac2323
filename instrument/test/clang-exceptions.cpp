// C++ exceptions: a function whose calls may throw gets a cleanup landing pad
// calling __racecheck_func_exit before unwinding on; existing landing pads
// keep their paths and every return/resume exits. Names are mangled.
// RUN: %clangxx -fplugin=%plugin -O1 -g -S -emit-llvm %s -o - | FileCheck %s

// The function's own site: mangled name, its declaration line, column 0.
// CHECK-DAG: @[[FWDNAME:__racecheck_str[.0-9]*]] = private unnamed_addr constant [12 x i8] c"_Z7forwardi\00"
// CHECK-DAG: @[[FWD:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @{{__racecheck_str[.0-9]*}}, ptr @[[FWDNAME]], i32 25, i32 0, ptr null }

void may_throw(int);
int state;

// CHECK-LABEL: define {{.*}}void @_Z7forwardi(
// CHECK:         call void @__racecheck_func_entry(ptr @[[FWD]])
// CHECK:         invoke void @_Z9may_throwi(
// CHECK-NEXT:      to label %{{[0-9]+}} unwind label %[[CLEANUP:[0-9]+]]
// CHECK:         call void @__racecheck_write4(ptr @state,
// CHECK:         call void @__racecheck_func_exit()
// CHECK-NEXT:    ret void
// CHECK:       [[CLEANUP]]:
// CHECK-NEXT:    landingpad { ptr, i32 }
// CHECK-NEXT:      cleanup
// CHECK-NEXT:    call void @__racecheck_func_exit()
// CHECK-NEXT:    resume
void forward(int x) {
  may_throw(x);
  state = x;
}

// CHECK-LABEL: define {{.*}}i32 @_Z7catchesi(
// CHECK:         call void @__racecheck_func_entry(
// CHECK-NEXT:    store ptr @{{__racecheck_site[.0-9]*}}, ptr @__racecheck_call_site
// CHECK-NEXT:    invoke void @_Z9may_throwi(
// CHECK-NEXT:      to label %[[JOIN:[0-9]+]] unwind label %[[CATCH:[0-9]+]]
// CHECK:       [[CATCH]]:
// CHECK-NEXT:    landingpad { ptr, i32 }
// CHECK-NEXT:      catch ptr null
// CHECK:         invoke void @__cxa_end_catch()
// CHECK-NEXT:      to label %{{[0-9]+}} unwind label %[[CLEANUP2:[0-9]+]]
// CHECK:       [[JOIN]]:
// CHECK-NEXT:    phi i32
// CHECK-NEXT:    call void @__racecheck_func_exit()
// CHECK-NEXT:    ret i32
// CHECK:       [[CLEANUP2]]:
// CHECK-NEXT:    landingpad { ptr, i32 }
// CHECK-NEXT:      cleanup
// CHECK-NEXT:    call void @__racecheck_func_exit()
// CHECK-NEXT:    resume
int catches(int x) {
  try {
    may_throw(x);
  } catch (...) {
    return -1;
  }
  return 0;
}
