// A 128-bit digest of a value, built field by field. The path walks remember the states they have
// already walked from a block by it, instead of by a copy or a spelling of the whole state. Two
// independent 64-bit lanes make an accidental match of two different states (which would skip a
// path) vanishingly unlikely; the digest is deterministic, so runs stay reproducible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace kmodlint {

struct Fingerprint {
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  bool operator==(const Fingerprint&) const = default;
};

struct FingerprintHash {
  std::size_t operator()(const Fingerprint& f) const { return static_cast<std::size_t>(f.first); }
};

class Fingerprinter {
 public:
  Fingerprinter& add(std::uint64_t value) {
    first_ = (first_ ^ value) * 0x9E3779B97F4A7C15ull;
    first_ ^= first_ >> 32;
    second_ = (second_ + value) * 0xC2B2AE3D27D4EB4Full;
    second_ = (second_ << 31) | (second_ >> 33);
    return *this;
  }
  Fingerprinter& add(std::int64_t value) { return add(static_cast<std::uint64_t>(value)); }
  Fingerprinter& add(int value) { return add(static_cast<std::uint64_t>(static_cast<std::int64_t>(value))); }
  Fingerprinter& add(unsigned value) { return add(static_cast<std::uint64_t>(value)); }
  Fingerprinter& add(bool value) { return add(static_cast<std::uint64_t>(value ? 1 : 2)); }
  template <typename E>
    requires std::is_enum_v<E>
  Fingerprinter& add(E value) {
    return add(static_cast<std::uint64_t>(value));
  }
  // The length first, so that "ab","c" and "a","bc" differ.
  Fingerprinter& add(std::string_view text);

  Fingerprint result() const { return {mix(first_), mix(second_ ^ 0x632BE59BD9B4E019ull)}; }

 private:
  // The finaliser of splitmix64: every input bit affects every output bit.
  static std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return x;
  }

  std::uint64_t first_ = 0x243F6A8885A308D3ull;
  std::uint64_t second_ = 0x13198A2E03707344ull;
};

}  // namespace kmodlint
