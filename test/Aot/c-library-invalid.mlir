// Each module or option the C library emitter refuses, located, exit 2.
// RUN: not pike-translate --pike-c-header --target=avx512-vnni --split-input-file %s 2>&1 | FileCheck %s
// RUN: not pike-translate --pike-c-wrapper %S/c-library.mlir --header-name='x.h"; int a; //' 2>&1 | FileCheck %s --check-prefix=HEADER-NAME
// RUN: not pike-translate --pike-c-wrapper %S/c-library.mlir --cpu-check='avx2") || system("x' 2>&1 | FileCheck %s --check-prefix=CHECK-NAME
// RUN: pike-translate --pike-c-header %S/c-library.mlir --target=scalar > /dev/null

// HEADER-NAME: error: header name 'x.h"; int a; //': use letters, digits and _ . + - only
// CHECK-NAME: error: CPU check 'avx2") || system("x': use lower-case letters, digits, '-' and '.'

// CHECK: error: no pike.c_prefix: run pike-name-entry-points before lowering the module
module {
  llvm.func @lib__main() attributes {pike.c_interface = {symbol = "lib_main", inputs = [], outputs = []}} {
    llvm.return
  }
}

// -----

// CHECK: error: public function without pike.c_interface
module attributes {pike.c_prefix = "lib"} {
  llvm.func @lib__main() {
    llvm.return
  }
}

// -----

// CHECK: error: pike.c_interface: the entry point does not match the function's name
module attributes {pike.c_prefix = "lib"} {
  llvm.func @lib__main() attributes {pike.c_interface = {symbol = "lib_main); system(\22x", inputs = [], outputs = []}} {
    llvm.return
  }
}

// -----

// CHECK: error: input 0 has a dynamic shape; compile a static one
module attributes {pike.c_prefix = "lib"} {
  llvm.func @lib__main() attributes {pike.c_interface = {symbol = "lib_main", inputs = [{name = "x", type = tensor<?xf32>}], outputs = []}} {
    llvm.return
  }
}

// -----

// CHECK: error: output 0 has element type 'f8E4M3FN', which has no C type here
module attributes {pike.c_prefix = "lib"} {
  llvm.func @lib__main() attributes {pike.c_interface = {symbol = "lib_main", inputs = [], outputs = [{name = "y", type = tensor<2xf8E4M3FN>}]}} {
    llvm.return
  }
}

// -----

// CHECK: error: input 0 has more than 2^62 elements
module attributes {pike.c_prefix = "lib"} {
  llvm.func @lib__main() attributes {pike.c_interface = {symbol = "lib_main", inputs = [{name = "x", type = tensor<4294967296x4294967296xf32>}], outputs = []}} {
    llvm.return
  }
}

// -----

// The workspace check rests on pike.workspace_bytes: nothing but an i64.
// CHECK: error: pike.workspace_bytes must be a non-negative i64 (pike-plan-workspace)
module attributes {pike.c_prefix = "lib"} {
  llvm.func @lib__main() attributes {pike.workspace_bytes = 4096.0 : f64, pike.c_interface = {symbol = "lib_main", inputs = [], outputs = []}} {
    llvm.return
  }
  llvm.func @_mlir_ciface_lib__main()
}

// -----

// The interface must match the C interface the wrapper calls.
// CHECK: error: no _mlir_ciface_ function of 1 arguments matches pike.c_interface
module attributes {pike.c_prefix = "lib"} {
  llvm.func @lib__main() attributes {pike.c_interface = {symbol = "lib_main", inputs = [{name = "x", type = tensor<2xf32>}], outputs = []}} {
    llvm.return
  }
  llvm.func @_mlir_ciface_lib__main(!llvm.ptr, !llvm.ptr)
}

// -----

// Every product of the dimensions (the strides), not only the element count.
// CHECK: error: input 0 has more than 2^62 elements
module attributes {pike.c_prefix = "lib"} {
  llvm.func @lib__main() attributes {pike.c_interface = {symbol = "lib_main", inputs = [{name = "x", type = tensor<0x4611686018427387904x4xf32>}], outputs = []}} {
    llvm.return
  }
}

// -----

// CHECK: error: pike.c_prefix is not a C identifier
module attributes {pike.c_prefix = "lib; int x"} {
}

// -----

// The CPU check is the lowering's: a module lowered for one target is not
// given another's check.
// CHECK: error: the module was lowered for vector, not avx512-vnni
module attributes {pike.c_prefix = "lib", pike.target = "vector"} {
  llvm.func @lib__main() attributes {pike.c_interface = {symbol = "lib_main", inputs = [], outputs = []}} {
    llvm.return
  }
  llvm.func @_mlir_ciface_lib__main()
}
