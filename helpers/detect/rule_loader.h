// Layered rule directories: shipped defaults, then admin overrides, then the user's. Within a
// directory files load in name order; a rule named like an earlier one replaces it, and
// {"name": ..., "enabled": false} removes it. A bad file is reported and skipped on its own.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "helpers/detect/rule.h"

namespace gamesched::detect {

struct RuleLoad {
    std::vector<Rule> rules;  // merged and enabled, in order of first definition
    std::vector<std::string> loaded_files;
    std::vector<std::string> errors;  // "file:line: what is wrong", one per rejected file
};

RuleLoad load_rule_dirs(const std::vector<std::filesystem::path>& dirs);

// /usr/share/gamesched/rules.d, /etc/gamesched/rules.d, ${XDG_CONFIG_HOME:-~/.config}/gamesched/rules.d
// (the first two as configured at build time).
std::vector<std::filesystem::path> default_rule_dirs();

}  // namespace gamesched::detect
