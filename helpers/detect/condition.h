// The condition language of rule files, as a tree evaluated against one process and its
// ancestors. Evaluation is three-valued: a question /proc could not answer (an unreadable
// environ, an unread fd table) is "unknown", so that not(...) never turns ignorance into a match.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "helpers/detect/match_context.h"

namespace gamesched::detect {

enum class Truth { no, yes, unknown };

class Condition {
public:
    virtual ~Condition() = default;
    // level: which process of the context's chain is the subject (0 = the process itself).
    [[nodiscard]] virtual Truth eval(MatchContext& ctx, std::size_t level) const = 0;
};
using ConditionPtr = std::unique_ptr<const Condition>;

// What a glob list is matched against.
enum class Field {
    comm,
    exe,           // basename of /proc/<pid>/exe
    name,          // exe basename, comm or Wine program: "the executable's name" in any form
    wine_program,  // the Windows program a Wine process runs
    arg,           // any command-line argument
    cgroup,        // unified cgroup path
};

// Globs are fnmatch(3) patterns, case-insensitive, with '\' taken literally (Windows paths).
bool glob_match(const std::string& pattern, const std::string& text);

ConditionPtr make_glob_condition(Field field, std::vector<std::string> patterns);
// Every listed variable must be present and match its glob ("*": merely present).
ConditionPtr make_env_condition(std::vector<std::pair<std::string, std::string>> vars);
ConditionPtr make_threads_at_least(int count);
ConditionPtr make_uses_gpu(bool expected);
ConditionPtr make_gamemode_registered(bool expected);
ConditionPtr make_has_steam_app_id(bool expected);
ConditionPtr make_mangohud(bool expected);  // see mangohud_present() in facts.h
ConditionPtr make_parent(ConditionPtr inner);
ConditionPtr make_ancestor(ConditionPtr inner);
ConditionPtr make_all(std::vector<ConditionPtr> terms);
ConditionPtr make_any(std::vector<ConditionPtr> terms);
ConditionPtr make_not(ConditionPtr inner);

}  // namespace gamesched::detect
