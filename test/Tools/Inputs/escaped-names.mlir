// Names with an escape sequence and newlines (pike-run-escaped-names.test).
func.func @main(%x: tensor<2xf32> {pike.name = "x\1B[2J\0Aerror: forged"}) -> (tensor<2xf32> {pike.name = "y\0A"}) {
  return %x : tensor<2xf32>
}
