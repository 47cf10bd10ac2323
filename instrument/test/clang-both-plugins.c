// -fplugin and -fpass-plugin together still instrument once per access (the
// second pass instance sees the module flag), in either order.
// RUN: %clang -fplugin=%plugin -fpass-plugin=%plugin -O2 -g0 -S -emit-llvm \
// RUN:   %S/Inputs/shared-counter.c -o - | FileCheck %S/Inputs/shared-counter.c
// RUN: %clang -fpass-plugin=%plugin -fplugin=%plugin -O2 -g0 -S -emit-llvm \
// RUN:   %S/Inputs/shared-counter.c -o - | FileCheck %S/Inputs/shared-counter.c
// RUN: %clang -fplugin=%plugin -fpass-plugin=%plugin -O2 -c \
// RUN:   %S/Inputs/shared-counter.c -o %t.o
// RUN: llvm-nm %t.o | FileCheck %S/Inputs/shared-counter.c --check-prefix=NM
