// clang -fplugin=racecheck.so alone instruments at -O2, once per access.
// RUN: %clang -fplugin=%plugin -O2 -g0 -S -emit-llvm %S/Inputs/shared-counter.c -o - \
// RUN:   | FileCheck %S/Inputs/shared-counter.c
// RUN: %clang -fplugin=%plugin -O2 -c %S/Inputs/shared-counter.c -o %t.o
// RUN: llvm-nm %t.o | FileCheck %S/Inputs/shared-counter.c --check-prefix=NM
