//===- StripAttributes.cpp - A lowered module without Pike's attributes ---===//

#include "pike/Dialect/Pike/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::pike {
#define GEN_PASS_DEF_PIKESTRIPATTRIBUTES
#include "pike/Dialect/Pike/Transforms/Passes.h.inc"
} // namespace mlir::pike

using namespace mlir;

namespace {

bool isPikeAttr(NamedAttribute attr) { return attr.getName().strref().starts_with("pike."); }

struct PikeStripAttributesPass
    : public mlir::pike::impl::PikeStripAttributesBase<PikeStripAttributesPass> {
  void runOnOperation() override {
    getOperation()->walk([](Operation *op) {
      SmallVector<StringAttr> names;
      for (NamedAttribute attr : op->getDiscardableAttrs())
        if (isPikeAttr(attr))
          names.push_back(attr.getName());
      for (StringAttr name : names)
        op->removeDiscardableAttr(name);
      auto fn = dyn_cast<FunctionOpInterface>(op);
      if (!fn)
        return;
      auto strip = [](DictionaryAttr attrs) {
        SmallVector<NamedAttribute> kept;
        if (attrs)
          llvm::copy_if(attrs.getValue(), std::back_inserter(kept),
                        [](NamedAttribute a) { return !isPikeAttr(a); });
        return kept;
      };
      for (unsigned i = 0; i < fn.getNumArguments(); ++i)
        fn.setArgAttrs(i, strip(fn.getArgAttrDict(i)));
      for (unsigned i = 0; i < fn.getNumResults(); ++i)
        fn.setResultAttrs(i, strip(fn.getResultAttrDict(i)));
    });
  }
};

} // namespace
