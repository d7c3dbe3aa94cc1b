"""Pike beside onnxruntime on the transformer models of
pike.torch.transformers (BERT-tiny and ViT-tiny shapes): the same QDQ file
in both, Pike's compiled library (integer form, float32 rounding; its C
function alone, arguments prepared once) and onnxruntime's session, one
thread each, whole models as the file defines them (token ids or a float
image in, float logits out). Best of `rounds` of `repeat` calls, in
milliseconds; also the logits' largest difference in steps. Not a test:
record the table in bench/RESULTS.md."""

import argparse
import time

from pike.torch import transformers as tf


def best_ms(call, repeat, rounds):
    call()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            call()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best * 1e3


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--inputs", type=int, default=16, help="inputs compared at the logits")
    args = parser.parse_args()
    # (name, model, inputs, calibration, opset): at opset 14 each LayerNorm
    # is written out in steps that quantize_static quantizes in between.
    models = [
        ("BERT-tiny (2x128, 128 tokens)", tf.bert_tiny(), tf.token_ids(args.inputs, seed=1),
         tf.token_ids(8, seed=2), tf.OPSET),
        ("BERT-tiny, opset 14 (LayerNorm in steps)", tf.bert_tiny(),
         tf.token_ids(args.inputs, seed=1), tf.token_ids(8, seed=2), 14),
        ("ViT-tiny (12x192, 197 tokens)", tf.vit_tiny(), tf.images(args.inputs, seed=1),
         tf.images(4, seed=2), tf.OPSET),
    ]
    print("| model | Pike ms | onnxruntime ms | Pike / onnxruntime | logits: max, mean steps, "
          "same argmax | onnxruntime's basic run against its default |")
    print("|---|---|---|---|---|---|")
    with tf.scratch() as folder:
        for name, model, inputs, calibration, opset in models:
            stem = name.split()[0].lower().rstrip(",") + str(opset)
            path = tf.quantized_file(stem, model, inputs[0], calibration, folder, opset)
            compiled = tf.Compiled(path, folder)
            call, _ = compiled.library.prepared([inputs[0]])
            pike_ms = best_ms(call, args.repeat, args.rounds)
            feed = {"input": inputs[0]}
            ort_ms = best_ms(lambda: compiled.session.run(None, feed), args.repeat, args.rounds)
            result = tf.compare(compiled, inputs)
            # The model's own runtime against itself, for scale.
            own = tf.ort_disagreement(path, inputs)
            print(f"| {name} | {pike_ms:.2f} | {ort_ms:.2f} | {pike_ms / ort_ms:.2f} | "
                  f"{result['max_steps']}, {result['mean_steps']:.2f}, "
                  f"{result['same_argmax']:.0%} | {own['max_steps']}, {own['mean_steps']:.2f}, "
                  f"{own['same_argmax']:.0%} |", flush=True)


if __name__ == "__main__":
    main()
