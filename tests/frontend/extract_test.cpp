// The frontend on real kernel headers: a small module is parsed with Kbuild's flags for the
// installed kernel, and the facts the checks rely on are asserted.
#include <algorithm>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "frontend/parse_units.h"
#include "project/discovery.h"

using namespace kmodlint;
namespace fs = std::filesystem;

namespace {

UnitFacts parse_source(const std::string& name, const std::string& source) {
  fs::path dir = fs::temp_directory_path() / ("kmodlint-frontend-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / (name + ".c")) << source;
  DiscoveryOptions options;
  options.paths = {(dir / (name + ".c")).string()};
  Project project = discover_project(options);
  UnitFacts facts = frontend::parse_unit(project.modules.at(0).units.at(0));
  fs::remove_all(dir);
  return facts;
}

const FunctionFacts& function_named(const UnitFacts& unit, const std::string& name) {
  for (const FunctionFacts& function : unit.functions)
    if (function.name == name) return function;
  throw std::runtime_error("no function " + name);
}

const char* kModule = R"(#include <linux/module.h>
#include <linux/fs.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/mutex.h>

static dev_t devt;
static struct class *cls;
static int count;
static DEFINE_MUTEX(lock);
int shared_value;
EXPORT_SYMBOL_GPL(shared_value);
int helper(int x) { return x + 1; }
EXPORT_SYMBOL_NS(helper, KMODLINT_TEST);
extern int elsewhere;

static int fx_open(struct inode *inode, struct file *file)
{
	mutex_lock(&lock);
	count++;
	mutex_unlock(&lock);
	return elsewhere;
}

static const struct file_operations fx_fops = {
	.owner = THIS_MODULE,
	.open = fx_open,
};

static int __init fx_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&devt, 0, 1, "fx");
	if (ret < 0)
		return ret;
	cls = class_create(THIS_MODULE, "fx");
	if (IS_ERR(cls)) {
		ret = PTR_ERR(cls);
		goto err_region;
	}
	return 0;
err_region:
	unregister_chrdev_region(devt, 1);
	return ret;
}

static void __exit fx_exit(void)
{
	class_destroy(cls);
	unregister_chrdev_region(devt, 1);
}

module_init(fx_init);
module_exit(fx_exit);
MODULE_LICENSE("Dual BSD/GPL");
MODULE_IMPORT_NS(OTHER_NS);
)";

}  // namespace

class FrontendOnKernelHeaders : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { unit_ = new UnitFacts(parse_source("fx", kModule)); }
  static void TearDownTestSuite() { delete unit_; }
  static UnitFacts* unit_;
};

UnitFacts* FrontendOnKernelHeaders::unit_ = nullptr;

TEST_F(FrontendOnKernelHeaders, ParsesCleanly) {
  ASSERT_TRUE(unit_->parsed) << (unit_->errors.empty() ? "" : unit_->errors[0].message);
}

TEST_F(FrontendOnKernelHeaders, ModuleMacros) {
  ASSERT_TRUE(unit_->module_init);
  EXPECT_EQ(unit_->module_init->function, "fx_init");
  EXPECT_EQ(unit_->module_init->location.line, 54u);
  ASSERT_TRUE(unit_->module_exit);
  EXPECT_EQ(unit_->module_exit->function, "fx_exit");
  std::vector<std::pair<std::string, std::string>> info;
  for (const ModuleInfoEntry& entry : unit_->module_info) info.emplace_back(entry.tag, entry.value);
  EXPECT_EQ(info, (std::vector<std::pair<std::string, std::string>>{{"license", "Dual BSD/GPL"}, {"import_ns", "OTHER_NS"}}));
}

TEST_F(FrontendOnKernelHeaders, Exports) {
  ASSERT_EQ(unit_->exports.size(), 2u);
  EXPECT_EQ(unit_->exports[0].symbol, "shared_value");
  EXPECT_TRUE(unit_->exports[0].gpl_only);
  EXPECT_EQ(unit_->exports[0].location.line, 12u);
  EXPECT_EQ(unit_->exports[1].symbol, "helper");
  EXPECT_FALSE(unit_->exports[1].gpl_only);
  EXPECT_EQ(unit_->exports[1].name_space, "KMODLINT_TEST");
}

TEST_F(FrontendOnKernelHeaders, GlobalsExternsAndReferences) {
  std::vector<std::string> globals;
  for (const GlobalVarFacts& global : unit_->globals) globals.push_back(global.name + (global.is_static ? ":static" : ""));
  EXPECT_EQ(globals, (std::vector<std::string>{"devt:static", "cls:static", "count:static", "lock:static", "shared_value",
                                               "fx_fops:static"}));
  ASSERT_EQ(unit_->extern_decls.size(), 1u);
  EXPECT_EQ(unit_->extern_decls[0].name, "elsewhere");
  EXPECT_TRUE(unit_->extern_decls[0].in_main_file);
  bool saw_alloc = false, saw_elsewhere = false;
  for (const SymbolReference& ref : unit_->external_references) {
    saw_alloc = saw_alloc || (ref.name == "alloc_chrdev_region" && ref.location.line == 34);
    saw_elsewhere = saw_elsewhere || (ref.name == "elsewhere" && ref.from_function == "fx_open");
    EXPECT_NE(ref.name, "IS_ERR") << "static inline header functions are not symbols";
  }
  EXPECT_TRUE(saw_alloc);
  EXPECT_TRUE(saw_elsewhere);
}

TEST_F(FrontendOnKernelHeaders, OpsStructureStores) {
  bool found = false;
  for (const FunctionStore& store : unit_->function_stores)
    found = found || (store.record == "file_operations" && store.field == "open" && store.function == "fx_open" &&
                      store.holder == "fx_fops");
  EXPECT_TRUE(found);
}

TEST_F(FrontendOnKernelHeaders, InitEventsAndBranches) {
  const FunctionFacts& init = function_named(*unit_, "fx_init");
  EXPECT_EQ(init.section, ".init.text");
  std::vector<std::string> callees;
  for (const CallEvent& call : init.calls) callees.push_back(call.callee);
  EXPECT_EQ(callees, (std::vector<std::string>{"alloc_chrdev_region", "__class_create", "IS_ERR", "PTR_ERR",
                                               "unregister_chrdev_region"}));
  const CallEvent& alloc = init.calls[0];
  EXPECT_TRUE(alloc.args[0].address_of);
  EXPECT_EQ(alloc.args[0].root, "devt");
  EXPECT_EQ(alloc.args[0].kind, ValueRef::Kind::Global);
  ASSERT_TRUE(alloc.result_to);
  EXPECT_EQ(alloc.result_to->root, "ret");
  ASSERT_TRUE(init.calls[1].result_to);
  EXPECT_EQ(init.calls[1].result_to->lvalue(), "cls");

  std::vector<BranchCondition::Test> tests;
  for (const BasicBlock& block : init.blocks)
    if (block.condition) tests.push_back(block.condition->test);
  std::sort(tests.begin(), tests.end());
  EXPECT_EQ(tests, (std::vector<BranchCondition::Test>{BranchCondition::Test::Negative, BranchCondition::Test::IsErr}));
  ASSERT_EQ(init.returns.size(), 3u);
}

TEST_F(FrontendOnKernelHeaders, AccessesWithModes) {
  const FunctionFacts& open = function_named(*unit_, "fx_open");
  std::vector<std::string> accesses;
  for (const AccessEvent& access : open.accesses)
    accesses.push_back(access.variable + ":" + to_string(access.mode) + ":" + access.address_passed_to);
  EXPECT_EQ(accesses, (std::vector<std::string>{"lock:address-taken:mutex_lock", "count:read-write:",
                                                "lock:address-taken:mutex_unlock", "elsewhere:read:"}));
}

TEST(FrontendConditions, CompoundConditionsChosenValuesLoopBoundsAndListElements) {
  UnitFacts unit = parse_source("fxcond", R"(#include <linux/module.h>
#include <linux/list.h>
#include <linux/slab.h>

struct fx_entry {
	struct list_head node;
	char *name;
};
static LIST_HEAD(fx_list);

int fx_conditions(int rv, char *p, void *q)
{
	struct fx_entry *e;
	int have, i;

	have = (q == NULL) ? 0 : 1;
	for (i = 0; i < 4; i++)
		rv += have;
	list_for_each_entry(e, &fx_list, node)
		rv++;
	if (rv && p)
		kfree(p);
	return rv;
}
MODULE_LICENSE("GPL");
)");
  ASSERT_TRUE(unit.parsed);
  const FunctionFacts& fn = function_named(unit, "fx_conditions");
  bool saw_p = false, saw_compound_text = false, saw_bound = false;
  for (const BasicBlock& block : fn.blocks) {
    if (!block.condition) continue;
    const BranchCondition& c = *block.condition;
    saw_p = saw_p || (c.subject.root == "p" && c.test == BranchCondition::Test::NonZero);
    saw_compound_text = saw_compound_text || c.subject.text.find("&&") != std::string::npos;
    saw_bound = saw_bound || (c.subject.root == "i" && c.test == BranchCondition::Test::BelowPositive);
  }
  EXPECT_TRUE(saw_p) << "the block ending `if (rv && p)` tests p";
  EXPECT_FALSE(saw_compound_text);
  EXPECT_TRUE(saw_bound);

  const AssignEvent* have = nullptr;
  const AssignEvent* element = nullptr;
  for (const AssignEvent& assign : fn.assigns) {
    if (assign.target.root == "have") have = &assign;
    if (assign.target.root == "e" && !element) element = &assign;
  }
  ASSERT_NE(have, nullptr);
  ASSERT_TRUE(have->chosen);
  EXPECT_EQ(have->chosen->condition.subject.root, "q");
  EXPECT_EQ(have->chosen->condition.test, BranchCondition::Test::Zero);
  EXPECT_EQ(have->chosen->if_true, 0);
  EXPECT_EQ(have->chosen->if_false, 1);
  ASSERT_NE(element, nullptr);
  EXPECT_EQ(element->value.kind, ValueRef::Kind::Global);
  EXPECT_EQ(element->value.root, "fx_list");
  EXPECT_TRUE(element->value.path.ends_with("^")) << element->value.path;
}

// `x == C` and `x != C` with a non-zero constant stay Unknown tests of the whole comparison, with
// the operand, the constant and which successor means "equal" (a negation flips it).
TEST(FrontendConditions, ComparisonsWithNonZeroConstants) {
  UnitFacts unit = parse_source("fxconst", R"(#include <linux/module.h>
#include <linux/errno.h>

struct fx_slot {
	int kind;
};

int fx_constants(int err, struct fx_slot *s)
{
	if (err == -EBUSY)
		return 1;
	if (s->kind != 2)
		return 2;
	if (!(err == 7))
		return 3;
	if (err == s->kind)
		return 4;
	return 0;
}
MODULE_LICENSE("GPL");
)");
  ASSERT_TRUE(unit.parsed);
  const FunctionFacts& fn = function_named(unit, "fx_constants");
  std::vector<std::string> seen;
  for (const BasicBlock& block : fn.blocks) {
    if (!block.condition) continue;
    const BranchCondition& c = *block.condition;
    EXPECT_EQ(c.test, BranchCondition::Test::Unknown) << c.subject.text;
    if (!c.compared) {
      seen.push_back("none:" + c.subject.text);
      continue;
    }
    seen.push_back(c.compared->operand.text + (c.compared->equal ? "==" : "!=") + std::to_string(c.compared->constant));
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"err!=7", "err==-16", "none:err == s->kind", "s->kind!=2"}));
}

// A switch names the switched value and how each successor is reached: one case value, the
// default (also when the switch has none), or a GNU case range.
TEST(FrontendConditions, SwitchCasesPerSuccessor) {
  UnitFacts unit = parse_source("fxswitch", R"(#include <linux/module.h>

#define FX_LOGO 0x05000000

int fx_switch(unsigned int *payload, int kind)
{
	int r = 0;

	switch (*payload) {
	case 3:
	case FX_LOGO:
		r = 1;
		break;
	case 10 ... 12:
		r = 2;
		break;
	default:
		return -1;
	}
	switch (kind) {
	case -4:
		r++;
	}
	return r;
}
MODULE_LICENSE("GPL");
)");
  ASSERT_TRUE(unit.parsed);
  const FunctionFacts& fn = function_named(unit, "fx_switch");
  std::vector<std::string> seen;
  for (const BasicBlock& block : fn.blocks) {
    if (!block.switch_cases) continue;
    EXPECT_EQ(block.switch_cases->edges.size(), block.successors.size());
    std::string line = block.switch_cases->operand.text + ":";
    for (const SwitchEdge& edge : block.switch_cases->edges)
      line += edge.kind == SwitchEdge::Kind::Case      ? " " + std::to_string(edge.value)
              : edge.kind == SwitchEdge::Kind::Default ? std::string(" default")
                                                       : std::string(" other");
    seen.push_back(line);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"*payload: other 3 83886080 default", "kind: -4 default"}));
}

// Loops the walk of a function on its own enters at least once: counting up to a bound, and a for
// loop counting down to 0 from a count the function did not compute; not an unwind loop that
// counts down from the local index that failed.
TEST(FrontendConditions, CountedLoopTests) {
  UnitFacts unit = parse_source("fxloops", R"(#include <linux/module.h>

struct fx_table {
	int depth;
	int counts[8];
};

int fx_loops(struct fx_table *t, int n)
{
	int i, j, total = 0;

	for (i = 0; i < n; i++)
		total += t->counts[i];
	for (i = t->depth - 2; i >= 0; i--)
		total += t->counts[i];
	for (j = i - 1; j >= 0; j--)
		total -= t->counts[j];
	while (n--)
		total++;
	return total;
}
MODULE_LICENSE("GPL");
)");
  ASSERT_TRUE(unit.parsed);
  const FunctionFacts& fn = function_named(unit, "fx_loops");
  std::vector<unsigned> lines;
  for (const BasicBlock& block : fn.blocks)
    if (block.counted_loop_test) lines.push_back(block.condition ? block.condition->location.line : 0);
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<unsigned>{12, 14}));
}

// GNU C that GCC builds parses: a cast of an lvalue as an "m" asm operand (tp-smapi's
// `"m"((u16)port)`), through -fheinous-gnu-extensions in rules/gcc-flags.yaml.
TEST(FrontendGnuC, CastOfAnLvalueAsAMemoryAsmOperand) {
  UnitFacts unit = parse_source("fxasm", R"(#include <linux/module.h>
#include <linux/types.h>

static void fx_out(u16 port, u8 val)
{
	asm volatile("outb %0, %w1" : : "a"(val), "m"((u16)port));
}

static int __init fx_init(void)
{
	fx_out(0x80, 1);
	return 0;
}
module_init(fx_init);
MODULE_LICENSE("GPL");
)");
  EXPECT_TRUE(unit.parsed);
  EXPECT_TRUE(unit.errors.empty()) << (unit.errors.empty() ? "" : unit.errors.front().message);
}

// GCC only warns about a callback of the wrong type and an integer used as a pointer (a module
// written for an older kernel: librem-ec-acpi's battery hook); Clang 19 makes both errors unless
// rules/gcc-flags.yaml says otherwise.
TEST(FrontendGnuC, WrongCallbackTypeAndIntegerAsPointer) {
  UnitFacts unit = parse_source("fxcallback", R"(#include <linux/module.h>

struct fx_hook {
	int (*add)(void *battery, struct fx_hook *hook);
};

static int fx_add(void *battery)
{
	return battery ? 0 : -1;
}

static struct fx_hook fx_hook = {
	.add = fx_add,
};

static int __init fx_init(void)
{
	void *p = 0x1000;

	return fx_hook.add(p, &fx_hook);
}
module_init(fx_init);
MODULE_LICENSE("GPL");
)");
  EXPECT_TRUE(unit.parsed);
  EXPECT_TRUE(unit.errors.empty()) << (unit.errors.empty() ? "" : unit.errors.front().message);
}
