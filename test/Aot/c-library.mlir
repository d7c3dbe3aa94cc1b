// The C header, C wrapper and JSON manifest of an AOT library come from the
// lowered module's own account of its entry points (pike.c_interface from
// pike-name-entry-points, pike.workspace_bytes from pike-plan-workspace).
// A model's names reach C only as escaped string literals (printable ASCII
// but " \ ? stays; every other byte is an octal escape) and JSON only
// through llvm::json (invalid UTF-8 as U+FFFD).
// RUN: pike-translate --pike-c-header %s --target=avx512-vnni --header-name=lib.h | FileCheck %s --check-prefix=HEADER
// RUN: pike-translate --pike-c-wrapper %s --target=vector --header-name=lib.h --cpu-check=avx512fp16 | FileCheck %s --check-prefix=WRAPPER
// The three compile together, hostile names and all.
// RUN: rm -rf %t && mkdir -p %t
// RUN: pike-translate --pike-c-header %s --header-name=lib.h -o %t/lib.h
// RUN: pike-translate --pike-c-wrapper %s --header-name=lib.h -o %t/wrapper.c
// RUN: cc -c -Wall -Werror -I %t %t/wrapper.c -o %t/wrapper.o
// RUN: pike-translate --pike-library-manifest %s --target=scalar | %pike_python -c "import json, sys; json.load(sys.stdin)"
// RUN: pike-translate --pike-library-manifest %s --target=scalar --library=lib.so --source=/m/model.mlir | FileCheck %s --check-prefix=MANIFEST

// HEADER: target avx512-vnni, one thread
// HEADER: const char *lib_check_cpu(void);
// HEADER: #define LIB_MAIN_FUNCTION_NAME "ma*/in"
// HEADER-NEXT: #define LIB_MAIN_WORKSPACE_BYTES 4096
// HEADER-NEXT: #define LIB_MAIN_IN0_ELEMENTS 6
// HEADER-NEXT: #define LIB_MAIN_IN0_NAME "a\042b\134c\077\077=\012*/\303\251"
// HEADER-NEXT: #define LIB_MAIN_OUT0_ELEMENTS 4
// HEADER-NEXT: #define LIB_MAIN_OUT0_NAME "y"
// HEADER-NEXT: /* lib_main:
// HEADER-NEXT:  *   input 0: float32 [2, 3]
// HEADER-NEXT:  *   output 0: uint8 [4]
// HEADER: int lib_main(const float *in0, uint8_t *out0, void *workspace, size_t workspace_bytes);
// HEADER: #define LIB_SCALAR_FUNCTION_NAME "\377x"
// HEADER-NEXT: #define LIB_SCALAR_WORKSPACE_BYTES 0
// HEADER: int lib_scalar(const int16_t *in0, uint32_t *out0, void *workspace, size_t workspace_bytes);
// HEADER-NOT: helper

// WRAPPER: #include "lib.h"
// WRAPPER: typedef struct { void *allocated; void *aligned; int64_t offset; } lib___memref0;
// The wrapper's own names are <prefix>___*, which no entry point or model
// function can be spelled like.
// WRAPPER: static int lib___cpu_supported(void) {
// WRAPPER: return __builtin_cpu_supports("x86-64-v3") && __builtin_cpu_supports("avx512fp16");
// WRAPPER: "lib: this CPU lacks x86-64-v3, avx512fp16, which the library was built for"
// WRAPPER: extern void _mlir_ciface_lib__main(lib___memref2 *, lib___memref1 *, lib___memref1 *, int64_t);
// WRAPPER: if (!in0 || !out0) return PIKE_ERROR_NULL;
// WRAPPER: if (!workspace || workspace_bytes < 4096u || ((uintptr_t)workspace & 63u)) return PIKE_ERROR_WORKSPACE;
// WRAPPER: lib___memref2 m0 = {(void *)in0, (void *)in0, 0, {2, 3}, {3, 1}};
// WRAPPER: lib___memref1 ws = {workspace, workspace, 0, {4096}, {1}};
// WRAPPER: _mlir_ciface_lib__main(&m0, &m1, &ws, 0);
// WRAPPER: extern void _mlir_ciface_lib__scalar(lib___memref0 *, lib___memref0 *);
// WRAPPER: (void)workspace; (void)workspace_bytes;
// WRAPPER-NOT: helper

// MANIFEST: "cpu_checks": [],
// MANIFEST: "name": "a\"b\\c??=\n*/é",
// MANIFEST: "name": "ma*/in",
// MANIFEST: "name": "�x",
// MANIFEST: "source": "/m/model.mlir",
// MANIFEST: "target": "scalar"

module attributes {pike.c_prefix = "lib"} {
  llvm.func @lib__main() attributes {
      pike.source_name = "ma*/in", pike.workspace_bytes = 4096 : i64,
      pike.c_interface = {symbol = "lib_main",
                          inputs = [{name = "a\22b\5Cc??=\0A*/\C3\A9", type = tensor<2x3xf32>}],
                          outputs = [{name = "y", type = tensor<4xi8>, unsigned}]}} {
    llvm.return
  }
  llvm.func @lib__scalar() attributes {
      pike.source_name = "\FFx",
      pike.c_interface = {symbol = "lib_scalar",
                          inputs = [{name = "x", type = tensor<i16>}],
                          outputs = [{name = "y", type = tensor<ui32>}]}} {
    llvm.return
  }
  // MLIR's C interface of each, which the wrapper calls.
  llvm.func @_mlir_ciface_lib__main(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64)
  llvm.func @_mlir_ciface_lib__scalar(!llvm.ptr, !llvm.ptr)
  // Private: not an entry point, whatever it carries.
  llvm.func @lib__helper() attributes {sym_visibility = "private",
      pike.c_interface = {symbol = "helper", inputs = [], outputs = []}} {
    llvm.return
  }
}
