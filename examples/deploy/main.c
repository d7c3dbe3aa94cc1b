/* A program that links a model compiled by `pike compile --emit shared` (or
 * --emit object) from model.mlir: reads a float32 image (raw, in the model's
 * NCHW order) and prints the class with the highest logit. */
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s image.bin [logits.bin]\n", argv[0]);
    return 2;
  }
  const char *why = model_check_cpu();
  if (why) {
    fprintf(stderr, "%s\n", why);
    return 1;
  }
  static float image[MODEL_MAIN_IN0_ELEMENTS], logits[MODEL_MAIN_OUT0_ELEMENTS];
  FILE *in = fopen(argv[1], "rb");
  if (!in || fread(image, sizeof image, 1, in) != 1) {
    fprintf(stderr, "cannot read %zu bytes from %s\n", sizeof image, argv[1]);
    return 2;
  }
  fclose(in);
  /* Allocated once; reused by every call on this thread. */
  size_t workspace_bytes = (MODEL_MAIN_WORKSPACE_BYTES + 63) / 64 * 64;
  void *workspace = aligned_alloc(64, workspace_bytes);
  int status = model_main(image, logits, workspace, workspace_bytes);
  if (status != 0) {
    fprintf(stderr, "model_main failed with status %d\n", status);
    return 1;
  }
  free(workspace);
  int best = 0;
  for (int i = 1; i < MODEL_MAIN_OUT0_ELEMENTS; ++i)
    if (logits[i] > logits[best])
      best = i;
  printf("class %d (logit %g)\n", best, logits[best]);
  if (argc > 2) {
    FILE *out = fopen(argv[2], "wb");
    fwrite(logits, sizeof logits, 1, out);
    fclose(out);
  }
  return 0;
}
