// Command-line options of one subcommand: "--name value" pairs and bare flags. Every option a
// subcommand reads is marked as used, so a misspelt option is reported instead of ignored.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "util/result.h"

namespace gamesched::bench {

class Args {
public:
    // flags: the options that take no value (everything else takes exactly one).
    static Result<Args> parse(const std::vector<std::string>& argv, const std::set<std::string>& flags);

    bool flag(const std::string& name);
    std::optional<std::string> text(const std::string& name);
    // A number within [min, max]; the default when the option is absent.
    Result<double> number(const std::string& name, double fallback, double min, double max);
    // An error naming every option that no accessor asked about.
    Status check_all_used() const;

private:
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_set_;
    std::set<std::string> used_;
};

}  // namespace gamesched::bench
