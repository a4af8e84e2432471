#include "tables/rule_tables.h"

#include "tables/api_names.h"
#include "tables/cleanup_pairs.h"
#include "tables/driver_lifecycle.h"
#include "tables/entry_points.h"
#include "tables/licenses.h"
#include "tables/locks.h"
#include "tables/ownership.h"

namespace kmodlint {

RuleTables default_rule_tables() {
  RuleTables tables;
  tables.cleanup_pairs = &active_cleanup_pairs();
  tables.driver_lifecycle = &default_driver_lifecycle();
  tables.ownership = &default_ownership_table();
  tables.entry_points = &default_entry_point_table();
  tables.locks = &default_lock_table();
  tables.licenses = &default_license_table();
  tables.api_names = &default_api_name_table();
  return tables;
}

}  // namespace kmodlint
