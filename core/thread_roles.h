// The thread-name hint table: data, loaded at start from the shipped table (<datadir>/gamesched/
// thread-roles.json) and the administrator's overrides (<sysconfdir>/gamesched/thread-roles.json);
// later entries override earlier ones. Core::load_thread_role_table says when one is missing.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bpf/intf.h"
#include "util/result.h"

namespace gamesched {

// Parses one file's text; errors name the offending entry.
Result<std::map<std::string, gs_role>> parse_thread_roles(const std::string& text);
// Missing files are skipped; a broken file is an error that names it.
Result<std::map<std::string, gs_role>> load_thread_roles(const std::vector<std::string>& paths);

}  // namespace gamesched
