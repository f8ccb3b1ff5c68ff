// The Pareto SVG of `ckpt-annotate pareto=`, opened in headless Chromium: the
// screenshot (at the SVG's size, scale 1) shows both axes, every point of the
// front, the chosen plan's ring and both axis labels where the SVG puts them
// (pareto_screenshot.py reads the SVG for positions and the PNG for pixels).
// The generated 4-layer MLP of annotate-pareto-targets.mlir (batch 64, width
// 32, f32): 4 plans on the front, drawn as 5 points with the unannotated one.
// REQUIRES: chromium
// RUN: rm -rf %t && mkdir -p %t
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 4 --batch 64 --width 32 --no-regions > %t/step.mlir
// RUN: ckpt-opt %t/step.mlir '--ckpt-annotate=budget=60K pareto=%t/front' -o /dev/null
// RUN: %chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 --user-data-dir=%t/profile --window-size=640,420 --screenshot=%t/front.png file://%t/front.svg
// RUN: %pil_python %S/pareto_screenshot.py %t/front.svg %t/front.png | FileCheck %s
//
// A plot without its x label, and one without the front's points, are caught
// (the checker fails and names what is missing).
// RUN: sed 's/estimated peak (bytes)//' %t/front.svg > %t/nolabel.svg
// RUN: %chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 --user-data-dir=%t/profile --window-size=640,420 --screenshot=%t/nolabel.png file://%t/nolabel.svg
// RUN: not %pil_python %S/pareto_screenshot.py %t/nolabel.svg %t/nolabel.png | FileCheck %s --check-prefix=NOLABEL
// RUN: sed 's/fill="steelblue"/fill="white"/' %t/front.svg > %t/nopoints.svg
// RUN: %chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 --user-data-dir=%t/profile --window-size=640,420 --screenshot=%t/nopoints.png file://%t/nopoints.svg
// RUN: not %pil_python %S/pareto_screenshot.py %t/nopoints.svg %t/nopoints.png | FileCheck %s --check-prefix=NOPOINTS

// CHECK: screenshot 640x420, svg 640x420
// CHECK-NEXT: x axis: drawn
// CHECK-NEXT: y axis: drawn
// CHECK-NEXT: front: 5 of 5 points drawn
// CHECK-NEXT: chosen: drawn
// CHECK-NEXT: x label: drawn, {{[0-9]+}} px wide, centred at x {{[0-9]+}} (svg 355)
// CHECK-NEXT: y label: drawn, {{[0-9]+}} px tall (rotated), centred at y {{[0-9]+}} (svg 200)

// NOLABEL: front: 5 of 5 points drawn
// NOLABEL: x label: MISSING
// NOLABEL-NEXT: y label: drawn

// NOPOINTS: front: 0 of 5 points drawn
// NOPOINTS: x label: drawn
