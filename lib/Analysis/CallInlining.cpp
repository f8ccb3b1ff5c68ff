//===- CallInlining.cpp - calls to defined functions, inlined ----*- C++ -*-===//

#include "ckpt/Analysis/CallInlining.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Transforms/Inliner.h"
#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;

LogicalResult mlir::ckpt::inlineCallee(RewriterBase &rewriter,
                                       func::CallOp call,
                                       func::FuncOp callee) {
  InlinerInterface interface(call.getContext());
  InlinerConfig config;
  if (succeeded(inlineCall(interface, config.getCloneCallback(),
                           cast<CallOpInterface>(call.getOperation()),
                           cast<CallableOpInterface>(callee.getOperation()),
                           &callee.getBody()))) {
    rewriter.eraseOp(call);
    return success();
  }
  if (!llvm::hasSingleElement(callee.getBody()))
    return failure();
  rewriter.setInsertionPoint(call);
  IRMapping mapping;
  Block &body = callee.getBody().front();
  mapping.map(body.getArguments(), call.getOperands());
  for (Operation &op : body.without_terminator())
    rewriter.clone(op, mapping);
  SmallVector<Value> returned;
  for (Value value : body.getTerminator()->getOperands())
    returned.push_back(mapping.lookupOrDefault(value));
  rewriter.replaceOp(call, returned);
  return success();
}

/// The calls in `func` to functions `symbols` defines, not `no_inline`.
static SmallVector<std::pair<func::CallOp, func::FuncOp>>
getInlinableCalls(func::FuncOp func, SymbolTable &symbols) {
  SmallVector<std::pair<func::CallOp, func::FuncOp>> calls;
  func.walk([&](func::CallOp call) {
    auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
    if (callee && !callee.isExternal() && callee != func &&
        !call.getNoInline())
      calls.push_back({call, callee});
  });
  return calls;
}

OwningOpRef<ModuleOp> mlir::ckpt::cloneWithCallsInlined(func::FuncOp func,
                                                        func::FuncOp &inlined) {
  auto module = func->getParentOfType<ModuleOp>();
  if (!module)
    return nullptr;
  {
    SymbolTable symbols(module);
    if (getInlinableCalls(func, symbols).empty())
      return nullptr;
  }
  OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone()));
  SymbolTable symbols(*copy);
  auto target = symbols.lookup<func::FuncOp>(func.getSymName());
  IRRewriter rewriter(func.getContext());
  constexpr int64_t kMaxInlinedCalls = 10000;
  int64_t count = 0;
  for (auto calls = getInlinableCalls(target, symbols); !calls.empty();
       calls = getInlinableCalls(target, symbols))
    for (auto [call, callee] : calls)
      if (++count > kMaxInlinedCalls ||
          failed(inlineCallee(rewriter, call, callee)))
        return nullptr;
  inlined = target;
  return copy;
}
