// Gradients with checkpointing equal gradients without it, bit for bit on
// the CPU (rationale §7): the `bits` checksum of every result (the wrapping sum
// of the elements' bit patterns) must be identical. The bundled MLP, a
// generated 4-layer MLP and a generated 2-block transformer-style step.
// RUN: ckpt-run %ckpt_src_root/examples/mlp_train_step.mlir | grep '^result' > %t.mlp.ckpt
// RUN: ckpt-run --no-checkpoint %ckpt_src_root/examples/mlp_train_step.mlir | grep '^result' > %t.mlp.base
// RUN: diff %t.mlp.ckpt %t.mlp.base
// RUN: FileCheck %s --check-prefix=MLP < %t.mlp.ckpt
//
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 4 --batch 8 --width 16 > %t.gen.mlir
// RUN: ckpt-run %t.gen.mlir | grep '^result' > %t.gen.ckpt
// RUN: ckpt-run --no-checkpoint %t.gen.mlir | grep '^result' > %t.gen.base
// RUN: diff %t.gen.ckpt %t.gen.base
// RUN: FileCheck %s --check-prefix=GEN < %t.gen.ckpt
//
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py transformer --layers 2 --batch 8 --width 16 > %t.tf.mlir
// RUN: ckpt-run %t.tf.mlir | grep '^result' > %t.tf.ckpt
// RUN: ckpt-run --no-checkpoint %t.tf.mlir | grep '^result' > %t.tf.base
// RUN: diff %t.tf.ckpt %t.tf.base
// RUN: FileCheck %s --check-prefix=TF < %t.tf.ckpt

// The bundled MLP prints the loss and 3 gradients.
// MLP-COUNT-4: result {{[0-9]}}: sum {{.*}} bits {{[0-9a-f]+}}
// GEN: result 4: sum
// TF: result 12: sum
