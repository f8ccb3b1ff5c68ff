// The dynamic program of ckpt-annotate budget= against brute force
// (test-ckpt-plan-search): every set of candidate cuts is scored with the
// same plan model (scoreSegmentPlan), and at every budget that is some plan's
// peak, and one byte below it, the DP's plan has the least cost of the plans
// that fit, its peak fits, its figures are its plan's score, and the cost
// never rises with the budget (the pass errors otherwise). The remark gives
// the counts and the DP's (peak:FLOPs) plan at each peak reached.
// Uneven layers (--widths), a 6-layer MLP of 12 candidate segments, and
// graphs with residual branches (transformer, encoder blocks), over the
// local minima of the crossing bytes (cuts=minima) unless said otherwise.
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 4 --batch 64 --width 32 --no-regions | ckpt-opt --test-ckpt-plan-search -o /dev/null 2>&1 | FileCheck %s --check-prefix=EVEN
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 4 --batch 64 --width 32 --widths 8,64,16,64,16 --no-regions | ckpt-opt --test-ckpt-plan-search -o /dev/null 2>&1 | FileCheck %s --check-prefix=UNEVEN
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 6 --batch 64 --width 32 --widths 8,64,16,64,16,8,32 --no-regions | ckpt-opt --test-ckpt-plan-search -o /dev/null 2>&1 | FileCheck %s --check-prefix=SIX
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py transformer --layers 2 --batch 8 --width 8 --no-regions | ckpt-opt --test-ckpt-plan-search -o /dev/null 2>&1 | FileCheck %s --check-prefix=RESIDUAL
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py encoder --layers 1 --batch 8 --width 8 --no-regions | ckpt-opt --test-ckpt-plan-search -o /dev/null 2>&1 | FileCheck %s --check-prefix=ENCODER
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 1 --batch 16 --width 8 --widths 8,16 --no-regions | ckpt-opt '--test-ckpt-plan-search=all-cuts=1 max-segments=16' -o /dev/null 2>&1 | FileCheck %s --check-prefix=ALLCUTS
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 6 --batch 64 --width 32 --no-regions | not ckpt-opt --test-ckpt-plan-search=max-segments=8 -o /dev/null 2>&1 | FileCheck %s --check-prefix=MANY

// EVEN: plan search: 38 ops, 8 candidate segments, 128 plans, 16 budgets (15 feasible): the DP equals brute force; front 40964:169984 49156:167936 57348:165888 65540:163840
// UNEVEN: plan search: 38 ops, 8 candidate segments, 128 plans, 10 budgets (9 feasible): the DP equals brute force; front 61444:110592 73732:107520 77828:106496
// SIX: plan search: 54 ops, 12 candidate segments, 2048 plans, 46 budgets (45 feasible): the DP equals brute force; front 62980:124928 67588:123392 69636:122880 71684:122368 73732:121856 75780:121344 77828:120832 83972:119296 86020:118784 88068:118272 90116:117760 92164:117248 94212:116736
// RESIDUAL: plan search: 94 ops, 11 candidate segments, 1024 plans, 14 budgets (13 feasible): the DP equals brute force; front 4100:6336 4356:5312 4612:4288
// ENCODER: plan search: 104 ops, 12 candidate segments, 2048 plans, 20 budgets (19 feasible): the DP equals brute force; front 3716:4656 3844:4208 3876:3248 3972:2224 4228:2160
// Every cut a candidate (cuts=all, what budget= uses up to 1024 ops):
// 14 segments, 2^13 cut sets of which 240 give every region a forward op
// that computes.
// ALLCUTS: plan search: 14 ops, 14 candidate segments, 240 plans, 4 budgets (3 feasible): the DP equals brute force; front 3076:1024
// MANY: error: 12 candidate segments, more than 8 to enumerate
