// Benchmark: 8 threads x 375,000 increments of one counter under one mutex
// (the program of lock_4threads.c with twice the threads).
#define THREADS 8
#define PER_THREAD 375000
#include "lock_4threads.c"
