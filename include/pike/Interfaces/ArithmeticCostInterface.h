//===- ArithmeticCostInterface.h - What an op computes ----------*- C++ -*-===//

#ifndef PIKE_INTERFACES_ARITHMETICCOSTINTERFACE_H
#define PIKE_INTERFACES_ARITHMETICCOSTINTERFACE_H

#include "mlir/IR/OpDefinition.h"
#include "pike/Interfaces/ArithmeticCost.h"

#include "pike/Interfaces/ArithmeticCostInterface.h.inc"

#endif // PIKE_INTERFACES_ARITHMETICCOSTINTERFACE_H
