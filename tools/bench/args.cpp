#include "tools/bench/args.h"

#include <cmath>
#include <cstdlib>

namespace gamesched::bench {

Result<Args> Args::parse(const std::vector<std::string>& argv, const std::set<std::string>& flags) {
    Args args;
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.rfind("--", 0) != 0)
            return Error::invalid("unexpected argument '" + a + "' (options start with --)");
        if (flags.count(a)) {
            args.flags_set_.insert(a);
            continue;
        }
        if (i + 1 >= argv.size()) return Error::invalid(a + " needs a value");
        args.values_[a] = argv[++i];
    }
    return args;
}

bool Args::flag(const std::string& name) {
    used_.insert(name);
    return flags_set_.count(name) > 0;
}

std::optional<std::string> Args::text(const std::string& name) {
    used_.insert(name);
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

Result<double> Args::number(const std::string& name, double fallback, double min, double max) {
    auto raw = text(name);
    if (!raw) return fallback;
    char* end = nullptr;
    double v = std::strtod(raw->c_str(), &end);
    if (end == raw->c_str() || *end != '\0' || !std::isfinite(v) || v < min || v > max) {
        return Error::invalid(name + " wants a number between " + std::to_string(min) + " and " +
                              std::to_string(max) + ", got '" + *raw + "'");
    }
    return v;
}

Status Args::check_all_used() const {
    std::string unknown;
    for (const auto& [name, value] : values_) {
        if (!used_.count(name)) unknown += " " + name;
    }
    for (const auto& name : flags_set_) {
        if (!used_.count(name)) unknown += " " + name;
    }
    if (!unknown.empty())
        return Error::invalid("unknown option(s):" + unknown + "; see gamesched-bench --help");
    return Ok{};
}

}  // namespace gamesched::bench
