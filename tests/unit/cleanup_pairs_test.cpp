#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include <unistd.h>

#include "tables/cleanup_pairs.h"
#include "tables/driver_lifecycle.h"
#include "tables/ownership.h"

#include "temp_table.h"

using namespace kmodlint;

namespace {

std::string write_temp(const std::string& text) { return test_support::write_temp_yaml("pairs", text); }

using test_support::error_of;

const std::string kRoot = KMODLINT_TEST_SOURCE_DIR;

}  // namespace

TEST(CleanupPairs, BuiltInTableLoads) {
  CleanupPairTable table = load_cleanup_pair_table(kRoot + "/rules/cleanup-pairs.yaml");
  EXPECT_EQ(table.pairs().size(), 205u);
  auto classes = table.acquires_by_callee("__class_create");  // class_create() after expansion
  ASSERT_EQ(classes.size(), 1u);
  EXPECT_EQ(classes[0].pair->id, "class-create");
  EXPECT_EQ(classes[0].api->fails, FailsOn::ErrPtr);
  const CleanupPair* region = table.find("alloc-chrdev-region");
  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->acquire[0].handle[0].from, HandleComponent::From::OutArg);
  EXPECT_EQ(region->release[0].handle_args.size(), 2u);
  const CleanupPair* device = table.find("device-create");
  ASSERT_NE(device, nullptr);
  EXPECT_FALSE(device->release[0].handle_args[2].has_value());
  EXPECT_EQ(device->acquire[0].depends_on[0].pair, "class-create");
}

TEST(CleanupPairs, UserTableReplacesById) {
  CleanupPairTable table;
  load_cleanup_pairs(kRoot + "/rules/cleanup-pairs.yaml", table);
  std::string user = write_temp(R"(schema_version: 1
table: cleanup-pairs
pairs:
  - id: kmalloc
    family: memory
    acquire:
      - {name: acme_alloc, kind: function, handle: [{from: return}], fails: null_ptr}
    release:
      - {name: acme_free, kind: function, handle_args: [0]}
    source: "acme.h"
  - id: acme-buffer
    family: memory
    acquire:
      - {name: acme_buf_get, kind: function, handle: [{from: return}], fails: err_ptr}
    release:
      - {name: acme_buf_put, kind: function, handle_args: [0], null_ok: true}
    source: "acme.h"
)");
  load_cleanup_pairs(user, table);
  table.validate();
  EXPECT_EQ(table.pairs().size(), 206u);
  EXPECT_TRUE(table.acquires_by_callee("kmalloc").empty());
  ASSERT_EQ(table.acquires_by_callee("acme_alloc").size(), 1u);
  EXPECT_EQ(table.acquires_by_callee("acme_alloc")[0].pair->id, "kmalloc");
  EXPECT_EQ(table.releases_by_callee("acme_buf_put").size(), 1u);
}

TEST(CleanupPairs, ErrorsNameFileAndLine) {
  std::string bad_fails = write_temp(R"(schema_version: 1
table: cleanup-pairs
pairs:
  - id: x
    family: memory
    acquire:
      - {name: x_get, kind: function, handle: [{from: return}], fails: sometimes}
    release:
      - {name: x_put, kind: function, handle_args: [0]}
    source: "x.h"
)");
  EXPECT_EQ(error_of([&] { load_cleanup_pair_table(bad_fails); }),
            bad_fails + ":7: key 'fails': unknown failure convention 'sometimes'");
  std::string bad_args = write_temp(R"(schema_version: 1
table: cleanup-pairs
pairs:
  - id: x
    family: memory
    acquire:
      - {name: x_get, kind: function, handle: [{from: return}], fails: null_ptr}
    release:
      - {name: x_put, kind: function, handle_args: [0, 1]}
    source: "x.h"
)");
  EXPECT_NE(error_of([&] { load_cleanup_pair_table(bad_args); }).find(bad_args + ":9: key 'handle_args': has 2 elements"),
            std::string::npos);
  std::string unknown_dep = write_temp(R"(schema_version: 1
table: cleanup-pairs
pairs:
  - id: x
    family: memory
    acquire:
      - {name: x_get, kind: function, handle: [{from: return}], fails: null_ptr, depends_on: [{pair: nope, arg: 0}]}
    release:
      - {name: x_put, kind: function, handle_args: [0]}
    source: "x.h"
)");
  EXPECT_NE(error_of([&] { load_cleanup_pair_table(unknown_dep); }).find("unknown pair 'nope'"), std::string::npos);
  std::string typo = write_temp("schema_version: 1\ntable: cleanup-pairs\npairs: []\nparis: []\n");
  EXPECT_NE(error_of([&] { load_cleanup_pair_table(typo); }).find(typo + ":4"), std::string::npos);
}

TEST(DriverLifecycle, ProbeAndRemoveRolesFromEntryPoints) {
  DriverLifecycleTable table = load_driver_lifecycle(kRoot + "/rules/entry-points.yaml");
  const DriverLifecycleStruct* platform = table.find("platform_driver");
  ASSERT_NE(platform, nullptr);
  EXPECT_EQ(platform->probe_fields, std::vector<std::string>{"probe"});
  EXPECT_EQ(platform->remove_fields, (std::vector<std::string>{"remove", "remove_new"}));
  const DriverLifecycleStruct* usb = table.find("usb_driver");
  ASSERT_NE(usb, nullptr);
  EXPECT_EQ(usb->pairs_with[0].second, std::vector<std::string>{"disconnect"});
}

TEST(OwnershipTable, LoadsTheBuiltInTable) {
  OwnershipTable table = load_ownership_table(kRoot + "/rules/ownership.yaml");
  const DrvdataSetter* setter = table.drvdata_setter("platform_set_drvdata");
  ASSERT_NE(setter, nullptr);
  EXPECT_EQ(setter->value_arg, 1);
  EXPECT_TRUE(table.drvdata_getter("pci_get_drvdata"));
  const CallbackInvoker* kref_put = table.callback_invoker("kref_put");
  ASSERT_NE(kref_put, nullptr);
  EXPECT_EQ(kref_put->callback_arg, 1);
  EXPECT_EQ(kref_put->data_arg, 0);
  EXPECT_EQ(kref_put->runs, CallbackInvoker::Runs::Now);
  const CallbackInvoker* or_reset = table.callback_invoker("devm_add_action_or_reset");
  ASSERT_NE(or_reset, nullptr);
  EXPECT_EQ(or_reset->runs, CallbackInvoker::Runs::DetachOrNowOnFailure);
  const OwnershipTransfer* list_add = table.transfer("list_add_tail");
  ASSERT_NE(list_add, nullptr);
  EXPECT_EQ(list_add->object_arg, 0);
  EXPECT_EQ(table.transfer("ipmi_add_smi")->name, "ipmi_register_smi");
  EXPECT_EQ(table.transfer("kfree"), nullptr);
}

TEST(OwnershipTable, BadEntryNamesFileLineAndKey) {
  std::string path = write_temp(
      "schema_version: 1\ntable: ownership\ndrvdata: {setters: [], getters: []}\n"
      "callback_invokers:\n"
      "  - {name: kref_put, kind: inline, callback_arg: 1, data_arg: 0, runs: later, source: x}\n"
      "ownership_transfers: []\n");
  std::string error = error_of([&] { load_ownership_table(path); });
  EXPECT_NE(error.find(path + ":5:"), std::string::npos) << error;
  EXPECT_NE(error.find("key 'runs'"), std::string::npos) << error;

  std::string missing_index = write_temp(
      "schema_version: 1\ntable: ownership\ndrvdata: {setters: [], getters: []}\ncallback_invokers: []\n"
      "ownership_transfers:\n  - {name: list_add, kind: inline, source: x}\n");
  error = error_of([&] { load_ownership_table(missing_index); });
  EXPECT_NE(error.find(missing_index + ":6:"), std::string::npos) << error;
  EXPECT_NE(error.find("object_arg"), std::string::npos) << error;
}
