#include "helpers/detect/rule_loader.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "helpers/detect/rule_parser.h"

#ifndef GAMESCHED_RULES_DATADIR
#define GAMESCHED_RULES_DATADIR "/usr/share/gamesched/rules.d"
#endif
#ifndef GAMESCHED_RULES_SYSCONFDIR
#define GAMESCHED_RULES_SYSCONFDIR "/etc/gamesched/rules.d"
#endif

namespace gamesched::detect {
namespace fs = std::filesystem;
namespace {

std::vector<fs::path> json_files(const fs::path& dir, std::vector<std::string>& errors) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return files;  // an absent override directory is the normal case
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".json") files.push_back(it->path());
    }
    if (ec) errors.push_back(dir.string() + ": cannot list directory: " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

RuleLoad load_rule_dirs(const std::vector<fs::path>& dirs) {
    RuleLoad load;
    std::vector<Rule> merged;
    std::map<std::string, std::size_t> index_by_name;
    for (const auto& dir : dirs) {
        for (const auto& path : json_files(dir, load.errors)) {
            std::ifstream in(path, std::ios::binary);
            std::ostringstream text;
            if (in.is_open()) text << in.rdbuf();
            if (!in.is_open() || in.bad()) {
                load.errors.push_back(path.string() + ":1: cannot read the file; check its permissions");
                continue;
            }
            auto rules = parse_rule_file(text.str(), path.string());
            if (!rules) {
                load.errors.push_back(rules.error().message + " (file skipped, other files still apply)");
                continue;
            }
            load.loaded_files.push_back(path.string());
            for (auto& rule : *rules) {
                if (auto it = index_by_name.find(rule.name); it != index_by_name.end()) {
                    merged[it->second] = std::move(rule);
                } else {
                    index_by_name.emplace(rule.name, merged.size());
                    merged.push_back(std::move(rule));
                }
            }
        }
    }
    for (auto& rule : merged) {
        if (rule.enabled) load.rules.push_back(std::move(rule));
    }
    return load;
}

std::vector<fs::path> default_rule_dirs() {
    std::vector<fs::path> dirs = {GAMESCHED_RULES_DATADIR, GAMESCHED_RULES_SYSCONFDIR};
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && xdg[0] == '/') {
        dirs.emplace_back(fs::path(xdg) / "gamesched" / "rules.d");
    } else if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
        dirs.emplace_back(fs::path(home) / ".config" / "gamesched" / "rules.d");
    }
    return dirs;
}

}  // namespace gamesched::detect
