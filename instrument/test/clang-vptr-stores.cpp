// Vtable pointer stores (constructors, destructors) call
// __racecheck_vptr_update with the value stored, at every level: with TBAA
// (-O1 and up) by their "vtable pointer" tag, at -O0 by the _ZTV address.
// Loads of the vptr (a virtual call) stay plain reads.
// RUN: %clangxx -fplugin=%plugin -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,O0
// RUN: %clangxx -fplugin=%plugin -O2 -S -emit-llvm %s -o - | FileCheck %s --check-prefixes=CHECK,O2

void release();

struct Base {
  virtual ~Base();
  virtual int work();
};

// Not trivial: for a trivial body of a non-final class clang skips the store.
Base::~Base() { release(); }
int Base::work() { return 1; }

// CHECK-LABEL: define {{.*}}@_ZN4BaseD2Ev(
// CHECK:         call void @__racecheck_vptr_update(ptr {{.*}}, ptr getelementptr inbounds {{.*}}@_ZTV4Base
// CHECK-NOT:     call void @__racecheck_write8(
// CHECK:         ret void

// O2-LABEL: define {{.*}}i32 @_Z4callP4Base(
// O2:         call void @__racecheck_read8(ptr %{{.*}},
// O2-NEXT:    load ptr, ptr %{{.*}}, align 8, !tbaa
// O0-LABEL: define {{.*}}i32 @_Z4callP4Base(
// O0:         call void @__racecheck_read8(
int call(Base *object) { return object->work(); }
