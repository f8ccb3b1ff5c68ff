// ckpt-annotate budget= solver=milp (issue 17): regions and a save policy
// per region (its contractions saved or not) as a MILP solved with COIN-OR
// CBC, started from the DP's plan.
//
// Against brute force (test-ckpt-plan-search milp=1): every set of
// candidate cuts with every policy choice for the segments holding a
// contraction, scored with the plan model (scoreSegmentPlan); at each budget
// on that front (and one byte below) the MILP finds the least cost, proven
// optimal, and never costs more than the DP; the remark counts the budgets
// where it is strictly cheaper (the DP cannot save a contraction). Chains,
// uneven layers, and residual branches (transformer, encoder blocks).
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 4 --batch 64 --width 32 --no-regions | ckpt-opt --test-ckpt-plan-search=milp=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=EVEN
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 6 --batch 64 --width 32 --widths 8,64,16,64,16,8,32 --no-regions | ckpt-opt --test-ckpt-plan-search=milp=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=SIX
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py transformer --layers 2 --batch 8 --width 8 --no-regions | ckpt-opt --test-ckpt-plan-search=milp=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=RESIDUAL
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py encoder --layers 1 --batch 8 --width 8 --no-regions | ckpt-opt --test-ckpt-plan-search=milp=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=ENCODER
// EVEN: MILP search: 38 ops, 8 candidate segments, 1176 plans with policies, 10 budgets (9 feasible): the MILP equals brute force, cheaper than the DP at 7
// SIX: MILP search: 54 ops, 12 candidate segments, 57624 plans with policies, 38 budgets (37 feasible): the MILP equals brute force, cheaper than the DP at 27
// RESIDUAL: MILP search: 94 ops, 11 candidate segments, 78732 plans with policies, 8 budgets (7 feasible): the MILP equals brute force, cheaper than the DP at 7
// ENCODER: MILP search: 104 ops, 12 candidate segments, 52920 plans with policies, 10 budgets (9 feasible): the MILP equals brute force, cheaper than the DP at 0

// On the pass: the regions that save their contractions carry a `save`
// list naming them; the plan model's peak is the memory report's after
// ckpt-rematerialize, and the step's gradients are bit-identical to the
// unannotated step's (ckpt-run, the wrapping sum of the bit patterns).
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 4 --batch 64 --width 32 --no-regions > %t.mlp.mlir
// RUN: ckpt-opt %t.mlp.mlir '--ckpt-annotate=budget=60000 solver=milp' -o %t.milp.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=IR < %t.milp.mlir
// RUN: ckpt-opt %t.milp.mlir --ckpt-rematerialize --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: ckpt-run --passes 'ckpt-annotate{budget=60000 solver=milp},ckpt-rematerialize' %t.mlp.mlir | grep '^result' > %t.ckpt
// RUN: ckpt-run --no-checkpoint %t.mlp.mlir | grep '^result' > %t.base
// RUN: diff %t.ckpt %t.base
// RUN: ckpt-opt %t.mlp.mlir '--ckpt-annotate=budget=60000' -o /dev/null 2>&1 | FileCheck %s --check-prefix=DP
// REMARK: remark: budget 60000 bytes: 6 regions, estimated peak 57348 bytes (plan model 57348), recompute 36864 FLOPs (plan model 36864 FLOPs, 98304 bytes moved, cost 36864 FLOPs on target 'flops'); MILP (CBC): 3 regions saving contractions, optimal, proven gap 0.00% over 913 candidates (segments of up to 38 cuts)
// IR-COUNT-3: ckpt.checkpoint "segment.{{[0-9]+}}" ({{.*}}) save ["linalg.matmul"]
// IR-NOT: save [
// REPORT: peak live bytes 73732 57348
// REPORT: recompute FLOPs 0 36864
// The DP reaches the same cost with 11 regions and no save list.
// DP: remark: budget 60000 bytes: 11 regions, estimated peak 57348 bytes (plan model 57348), recompute 36864 FLOPs

// Errors: the MILP applies to budget=, and its limits must be positive.
// RUN: not ckpt-opt %t.mlp.mlir '--ckpt-annotate=segments=2 solver=milp' -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOBUDGET
// RUN: not ckpt-opt %t.mlp.mlir '--ckpt-annotate=budget=60000 solver=milp milp-time-limit=0' -o /dev/null 2>&1 | FileCheck %s --check-prefix=LIMIT
// RUN: not ckpt-opt %t.mlp.mlir '--ckpt-annotate=budget=60000 solver=ilp' -o /dev/null 2>&1 | FileCheck %s --check-prefix=SOLVER
// NOBUDGET: error: 'solver=milp' applies to 'budget'
// LIMIT: error: 'milp-time-limit' must be positive and 'milp-candidates' at least 1
// SOLVER: for the --solver option: Cannot find option named 'ilp'!
