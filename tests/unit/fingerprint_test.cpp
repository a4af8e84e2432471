// The digest the path walks remember visited states by: equal inputs give equal digests; order,
// how text is split, and every field change it.
#include <gtest/gtest.h>

#include "common/fingerprint.h"
#include "engines/lifetimes/state.h"

namespace kmodlint {
namespace {

Fingerprint of_texts(std::initializer_list<std::string_view> texts) {
  Fingerprinter digest;
  for (std::string_view t : texts) digest.add(t);
  return digest.result();
}

TEST(Fingerprint, SameInputSameDigest) {
  EXPECT_EQ(of_texts({"priv->lock", "rtnl"}), of_texts({"priv->lock", "rtnl"}));
}

TEST(Fingerprint, OrderAndSplitOfTextMatter) {
  EXPECT_NE(of_texts({"a", "b"}), of_texts({"b", "a"}));
  EXPECT_NE(of_texts({"ab", "c"}), of_texts({"a", "bc"}));
  EXPECT_NE(of_texts({""}), of_texts({}));
  EXPECT_NE(of_texts({"0123456789abcdef"}), of_texts({"0123456789abcdeg"}));
}

TEST(Fingerprint, NumbersAndFlagsMatter) {
  EXPECT_NE(Fingerprinter().add(1).add(2).result(), Fingerprinter().add(2).add(1).result());
  EXPECT_NE(Fingerprinter().add(true).result(), Fingerprinter().add(false).result());
  EXPECT_NE(Fingerprinter().add(0).result(), Fingerprinter().result());
}

TEST(Fingerprint, LifetimesStateAtBlock) {
  lifetimes::State held;
  lifetimes::Resource r;
  r.site = 3;
  r.status = lifetimes::Resource::Status::Held;
  r.comps = {{lifetimes::ValueKey::local("buf")}};
  held.put(r);
  lifetimes::State released = held;
  released.find(3)->status = lifetimes::Resource::Status::Released;
  lifetimes::State other_name = held;
  other_name.find(3)->comps = {{lifetimes::ValueKey::local("tmp")}};

  EXPECT_EQ(held.fingerprint_at(2), lifetimes::State(held).fingerprint_at(2));
  EXPECT_NE(held.fingerprint_at(2), held.fingerprint_at(3));
  EXPECT_NE(held.fingerprint_at(2), released.fingerprint_at(2));
  EXPECT_NE(held.fingerprint_at(2), other_name.fingerprint_at(2));
  // Which call released it is not part of where the walk goes next.
  lifetimes::State released_elsewhere = released;
  released_elsewhere.find(3)->released_by = "kfree";
  EXPECT_EQ(released.fingerprint_at(2), released_elsewhere.fingerprint_at(2));
}

}  // namespace
}  // namespace kmodlint
