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

// -----

func.func @partial_tile(%acc: vector<6xi32>, %a: vector<24xi8>, %b: vector<24xi8>) -> vector<6xi32> {
  // expected-error @+1 {{needs whole 2 x 2 tiles (a multiple of 4 accumulator lanes), got 'vector<6xi32>'}}
  %r = pike.vector_mmla %acc, %a, %b : vector<6xi32>, vector<24xi8>
  return %r : vector<6xi32>
}

// -----

func.func @tile_bytes(%acc: vector<4xi32>, %a: vector<8xi8>, %b: vector<8xi8>) -> vector<4xi32> {
  // expected-error @+1 {{needs four bytes (a tile's two rows of 8) per accumulator lane, got 'vector<8xi8>' for 'vector<4xi32>'}}
  %r = pike.vector_mmla %acc, %a, %b : vector<4xi32>, vector<8xi8>
  return %r : vector<4xi32>
}

// -----

func.func @byte_pairs_per_lane(%acc: vector<16xi16>, %a: vector<16xi8>, %b: vector<16xi8>) -> vector<16xi16> {
  // expected-error @+1 {{needs two bytes per accumulator lane, got 'vector<16xi8>' for 'vector<16xi16>'}}
  %r = pike.vector_dot2_bytes %acc, %a, %b : vector<16xi16>, vector<16xi8>
  return %r : vector<16xi16>
}

// -----

func.func @byte_pairs_into_i32(%acc: vector<16xi32>, %a: vector<32xi8>, %b: vector<32xi8>) -> vector<16xi32> {
  // expected-error @+1 {{operand #0 must be vector of 16-bit signless integer values of ranks 1}}
  %r = pike.vector_dot2_bytes %acc, %a, %b : vector<16xi32>, vector<32xi8>
  return %r : vector<16xi32>
}
