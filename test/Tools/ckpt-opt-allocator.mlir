// Tests that ckpt-opt allocates with jemalloc when built with
// CKPT_USE_JEMALLOC (the default): jemalloc prints its statistics at exit
// when MALLOC_CONF asks it to, and the C library's malloc ignores the
// variable. The compile-time figures in docs/benchmarks.md depend on it.
// REQUIRES: jemalloc
// RUN: env MALLOC_CONF=stats_print:true ckpt-opt %s -o /dev/null 2>&1 | FileCheck %s
// CHECK: Begin jemalloc statistics
// CHECK: End jemalloc statistics

func.func @f() {
  return
}
