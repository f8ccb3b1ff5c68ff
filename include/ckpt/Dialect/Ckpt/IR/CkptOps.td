//===- CkptOps.td - ckpt operations ------------------------*- tablegen -*-===//

#ifndef CKPT_DIALECT_CKPT_IR_CKPTOPS_TD
#define CKPT_DIALECT_CKPT_IR_CKPTOPS_TD

include "ckpt/Dialect/Ckpt/IR/CkptDialect.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// CheckpointOp
//===----------------------------------------------------------------------===//

def Ckpt_CheckpointOp : Ckpt_Op<"checkpoint", [
    IsolatedFromAbove, RecursiveMemoryEffects,
    DeclareOpInterfaceMethods<RegionBranchOpInterface,
                              ["getEntrySuccessorOperands"]>]> {
  let summary = "A checkpointed module: store its inputs, recompute the rest";
  let description = [{
    Marks one module instance of the forward part for activation
    checkpointing. The operands are the module's inputs; the single block's
    arguments mirror them one for one (the region is isolated from above, so
    every value the module uses is an explicit input). The body ends in
    `ckpt.yield`, whose operands become the results.

    Control flow (`RegionBranchOpInterface`): the body runs once, its block
    arguments receive the operands, and the yielded values become the
    results, as for `scf.execute_region`.

    `ckpt-rematerialize` inlines the body in place and, for every result that
    the backward part uses, recomputes it in the backward part from the saved
    set (the inputs, what the `save` policy keeps, and results of ops that must
    not run twice), just before its first backward use.

    * `name` (optional): the module path, e.g. `"layers.3.mlp"`, used in
      remarks and reports.
    * `save` (optional): op names (`dialect.op`) or callees (`@name`: calls
      to that symbol, e.g. a library kernel) whose results this region
      stores instead of recomputing (PyTorch's selective-checkpointing
      `context_fn` policy). Not ckpt ops: a nested region's results follow
      its own save list.

    Custom form:

    ```mlir
    %r:2 = ckpt.checkpoint "block0" (%a = %x, %b = %w : tensor<4x8xf32>, tensor<8x8xf32>)
        save ["linalg.matmul"] -> (tensor<4x8xf32>, tensor<4x8xf32>) {
      ...
      ckpt.yield %u, %v : tensor<4x8xf32>, tensor<4x8xf32>
    }
    ```

    Generic form:

    ```mlir
    %r:2 = "ckpt.checkpoint"(%x, %w) <{name = "block0"}> ({
    ^bb0(%a: tensor<4x8xf32>, %b: tensor<8x8xf32>):
      ...
      "ckpt.yield"(%u, %v) : (tensor<4x8xf32>, tensor<4x8xf32>) -> ()
    }) : (tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>)
    ```
  }];

  let arguments = (ins Variadic<AnyType>:$inputs,
                       OptionalAttr<StrAttr>:$name,
                       OptionalAttr<StrArrayAttr>:$save);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region AnyRegion:$body);

  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// The body's only block (verified to exist).
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    /// The terminator of the body.
    YieldOp getYield();
    /// A printable name for remarks: `name` if set, otherwise "<unnamed>".
    ::llvm::StringRef getDisplayName();
    /// The value that `bodyValue` (a value of the body) stands for outside
    /// the region: the operand for a block argument, itself otherwise.
    ::mlir::Value getOuterValue(::mlir::Value bodyValue);
  }];
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

def Ckpt_YieldOp : Ckpt_Op<"yield", [
    Pure, Terminator, ReturnLike, HasParent<"CheckpointOp">]> {
  let summary = "Terminates a `ckpt.checkpoint` body and gives its results";
  let description = [{
    The operands become the results of the parent `ckpt.checkpoint`; their
    number and types must equal the parent's result types.

    ```mlir
    ckpt.yield %u, %v : tensor<4x8xf32>, tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$operands);
  let builders = [OpBuilder<(ins), [{ /* nothing to do */ }]>];
  let assemblyFormat = "attr-dict ($operands^ `:` type($operands))?";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// BarrierOp
//===----------------------------------------------------------------------===//

def Ckpt_BarrierResource : Resource<"::mlir::ckpt::BarrierResource">;

def Ckpt_BarrierOp : Ckpt_Op<"barrier", [
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<InferTypeOpInterface>,
    MemoryEffects<[MemRead<Ckpt_BarrierResource>,
                   MemWrite<Ckpt_BarrierResource>]>]> {
  let summary = "Optimization barrier between a recompute and the forward";
  let description = [{
    Returns its inputs unchanged (results have the inputs' types). The
    recompute that `ckpt-rematerialize` clones into the backward part takes its
    saved inputs through a barrier, optionally ordered `after` a backward
    value, so that:

    * `cse` cannot merge a clone with its forward original (the clone's
      operands are different SSA values), and two barriers are never merged;
    * `canonicalize` does not fold the barrier away;
    * `loop-invariant-code-motion` and other motion cannot hoist the
      recompute above the backward value it is ordered after.

    This is the role of JAX's `optimization_barrier` in `jax.checkpoint`
    (JAX issue 13999). The barrier reads and writes a dedicated
    `ckpt::BarrierResource`, which is what stops `cse` and `canonicalize`;
    `ckpt-strip-barriers` removes it before lowering.

    ```mlir
    %r:2 = ckpt.barrier %x, %w after %g : tensor<4x8xf32>, tensor<8x8xf32> after tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$inputs, Optional<AnyType>:$order);
  let results = (outs Variadic<AnyType>:$results);
  let assemblyFormat = [{
    $inputs (`after` $order^)? attr-dict `:` type($inputs) (`after` type($order)^)?
  }];
  let hasVerifier = 1;
}

#endif // CKPT_DIALECT_CKPT_IR_CKPTOPS_TD
