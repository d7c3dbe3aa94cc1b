// RUN: pike-opt %s --split-input-file --verify-diagnostics -o /dev/null

func.func @bytes_per_lane(%acc: vector<16xi32>, %a: vector<32xi8>, %b: vector<32xi8>) -> vector<16xi32> {
  // expected-error @+1 {{needs four bytes per accumulator lane, got 'vector<32xi8>' for 'vector<16xi32>'}}
  %r = pike.vector_dot4 %acc, %a, %b : vector<16xi32>, vector<32xi8>
  return %r : vector<16xi32>
}

// -----

func.func @halves_per_lane(%acc: vector<16xi32>, %a: vector<16xi16>, %b: vector<16xi16>) -> vector<16xi32> {
  // expected-error @+1 {{needs two 16-bit values per accumulator lane, got 'vector<16xi16>' for 'vector<16xi32>'}}
  %r = pike.vector_dot2 %acc, %a, %b : vector<16xi32>, vector<16xi16>
  return %r : vector<16xi32>
}
