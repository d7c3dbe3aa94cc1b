//===- PikeIndexOps.td - Reads at indices known at run time -*- tablegen -*-===//
//
// Ops that read a tensor at indices a model computes or takes as input
// (token ids): bounded by their definition, so no read leaves the tensor,
// which a model's own tensor.extract at such an index may not promise.
//
//===----------------------------------------------------------------------===//

#ifndef PIKE_DIALECT_PIKE_IR_PIKEINDEXOPS_TD
#define PIKE_DIALECT_PIKE_IR_PIKEINDEXOPS_TD

def Pike_GatherOp : Pike_Op<"gather", [Pure]> {
  let summary = "Rows of a table at integer indices (an embedding lookup)";
  let description = [{
    `output[i..., j...] = table[clamp(wrap(indices[i...])), j...]`: for each
    index, the row of `table` (its first dimension, `rows` long) it names,
    where `wrap` adds `rows` to a negative index (as ONNX Gather does) and
    `clamp` keeps the result in `[0, rows)` (ONNX leaves other indices
    undefined; onnxruntime rejects them). The output's shape is the indices'
    followed by a row's. Indices are read as unsigned if `indices_unsigned`.

    ```mlir
    %e = pike.gather %table, %ids : (tensor<100x32xi8>, tensor<1x16xi64>) -> tensor<1x16x32xi8>
    ```
  }];
  let arguments = (ins
    Pike_Tensor:$table,
    RankedTensorOf<[Pike_Int]>:$indices,
    UnitAttr:$indices_unsigned
  );
  let results = (outs Pike_Tensor:$output);
  let assemblyFormat = "$table `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // PIKE_DIALECT_PIKE_IR_PIKEINDEXOPS_TD
