/*===- ckpt-capi.c - ckpt's C API, from C --------------------------------===*\
|*                                                                            *|
|* Usage: ckpt-capi-test STEP.mlir OUT.mlir                                   *|
|*                                                                            *|
|* Registers ckpt with MLIR's C API objects, rewrites STEP through a pass     *|
|* manager of the C API, then through ckptRunPipeline (output to OUT), and    *|
|* runs ckptRunPipeline on invalid input. Prints what it sees.                *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

// clang-format off
// Tests ckpt's C API from C: ckptRegisterDialects and ckptRegisterPasses
// with MLIR's C API objects (libCkptMLIRCAPI.so), and ckptRunPipeline,
// whose output equals ckpt-opt's for the same pipeline; errors come back
// as diagnostics with `succeeded` false.
// REQUIRES: capi
// RUN: ckpt-capi-test %ckpt_src_root/examples/mlp_train_step.mlir %t.capi.mlir > %t.txt
// RUN: FileCheck %s < %t.txt
// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --pass-pipeline='builtin.module(ckpt-rematerialize,ckpt-verify,cse,canonicalize)' -o %t.ckpt-opt.mlir 2>/dev/null
// RUN: diff %t.capi.mlir %t.ckpt-opt.mlir

// CHECK: ckpt dialect loaded: 1
// CHECK: pipeline parsed: 1
// CHECK: pass manager ran: 1
// CHECK: --- pass manager output
// CHECK: func.func @mlp_train_step
// CHECK: ckpt.barrier %arg0, %arg2

// CHECK: --- ckptRunPipeline 'ckpt-rematerialize,ckpt-verify,cse,canonicalize': succeeded 1
// CHECK: --- diagnostics
// CHECK: <input>:{{[0-9]+}}:{{[0-9]+}}: remark: checkpointed region 'layers.0': drops 1 value (4096 bytes), clones 3 ops
// CHECK: destroyed: 1 0

// CHECK: --- ckptRunPipeline 'builtin.module(no-such-pass)': succeeded 0, 0 output bytes
// CHECK: 'no-such-pass' does not refer to a registered pass or pass pipeline

// CHECK: --- ckptRunPipeline 'cse': succeeded 0, 0 output bytes
// CHECK: <input>:1:{{[0-9]+}}: error:
// clang-format on

#include "ckpt-c/Pipeline.h"
#include "ckpt-c/Registration.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/RegisterEverything.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void printToFile(MlirStringRef text, void *userData) {
  fwrite(text.data, 1, text.length, (FILE *)userData);
}

static char *readFile(const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file)
    return NULL;
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  char *text = malloc(size + 1);
  size_t read = fread(text, 1, size, file);
  text[read] = '\0';
  fclose(file);
  return text;
}

/* The rewrite through MLIR's C API objects, ckpt registered into them. */
static int runWithPassManager(const char *step) {
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mlirRegisterAllDialects(registry);
  ckptRegisterDialects(registry);
  MlirContext context = mlirContextCreate();
  mlirContextAppendDialectRegistry(context, registry);
  mlirDialectRegistryDestroy(registry);
  MlirDialect ckpt = mlirContextGetOrLoadDialect(
      context, mlirStringRefCreateFromCString("ckpt"));
  printf("ckpt dialect loaded: %d\n", !mlirDialectIsNull(ckpt));

  MlirModule module =
      mlirModuleCreateParse(context, mlirStringRefCreateFromCString(step));
  if (mlirModuleIsNull(module)) {
    printf("parse failed\n");
    return 1;
  }
  ckptRegisterPasses();
  ckptRegisterPasses(); /* a second call is harmless */
  MlirPassManager pm = mlirPassManagerCreate(context);
  MlirLogicalResult parsed = mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      mlirStringRefCreateFromCString(
          "builtin.module(ckpt-rematerialize,ckpt-verify)"),
      printToFile, stderr);
  printf("pipeline parsed: %d\n", mlirLogicalResultIsSuccess(parsed));
  MlirLogicalResult ran =
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module));
  printf("pass manager ran: %d\n", mlirLogicalResultIsSuccess(ran));
  printf("--- pass manager output\n");
  mlirOperationPrint(mlirModuleGetOperation(module), printToFile, stdout);
  printf("\n");
  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
  return 0;
}

/* One ckptRunPipeline call; prints what came back. */
static CkptPipelineResult runOnce(const char *text, const char *pipeline) {
  CkptPipelineResult result =
      ckptRunPipeline(mlirStringRefCreateFromCString(text),
                      mlirStringRefCreateFromCString(pipeline));
  printf("--- ckptRunPipeline '%s': succeeded %d, %zu output bytes\n", pipeline,
         result.succeeded, result.output.length);
  printf("--- diagnostics\n%s", result.diagnostics.data);
  return result;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: ckpt-capi-test STEP.mlir OUT.mlir\n");
    return 2;
  }
  char *step = readFile(argv[1]);
  if (!step) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  if (runWithPassManager(step))
    return 1;

  CkptPipelineResult result =
      runOnce(step, "ckpt-rematerialize,ckpt-verify,cse,canonicalize");
  FILE *out = fopen(argv[2], "wb");
  if (!out)
    return 2;
  fwrite(result.output.data, 1, result.output.length, out);
  fclose(out);
  ckptPipelineResultDestroy(&result);
  printf("destroyed: %d %zu\n", result.output.data == NULL,
         result.output.length);

  result = runOnce(step, "builtin.module(no-such-pass)");
  ckptPipelineResultDestroy(&result);
  result = runOnce("func.func @f( {", "cse");
  ckptPipelineResultDestroy(&result);
  free(step);
  return 0;
}
