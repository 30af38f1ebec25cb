#include "helpers/mlcollect/search_space.h"

#include <algorithm>
#include <cmath>

#include "ipc/messages.h"

namespace gamesched::ml {
namespace {

// How far a time tunable may move from the value in force, as a factor either way: wide enough
// to find a real change, narrow enough that no trial is absurd.
constexpr double kTimeWindowFactor = 8.0;

bool is_time(const std::string& name) {
    return name.size() > 3 && name.compare(name.size() - 3, 3, "_us") == 0;
}

}  // namespace

std::vector<TunableSpec> protocol_tunables() {
    std::vector<TunableSpec> specs;
    for (const auto& range : ipc::kTunableRanges)
        specs.push_back({std::string(range.name), range.min, range.max});
    specs.push_back({"preempt_enabled", 0, 1});  // ipc::Tunables::preempt_enabled, a bool
    return specs;
}

const std::vector<std::string>& default_search_names() {
    static const std::vector<std::string> names = {"slice_us",       "slice_min_us",    "lag_clamp_us",
                                                   "game_boost_pct", "input_boost_pct", "preempt_enabled"};
    return names;
}

Result<SearchSpace> SearchSpace::make(const std::vector<std::string>& names,
                                      const std::vector<TunableSpec>& specs, const TunableValues& current) {
    SearchSpace space;
    for (const auto& name : names) {
        if (name == kNeverSearched)
            return Error::invalid(name +
                                  " is never autotuned: it bounds how long the background can be starved");
        auto spec = std::find_if(specs.begin(), specs.end(), [&](const auto& s) { return s.name == name; });
        if (spec == specs.end()) return Error::invalid("unknown tunable '" + name + "' in the autotune set");
        Dimension d{name, static_cast<double>(spec->min), static_cast<double>(spec->max), Scale::linear};
        if (spec->min == 0 && spec->max == 1) {
            d.scale = Scale::boolean;
        } else if (is_time(name)) {
            auto it = current.find(name);
            if (it == current.end() || it->second == 0)
                return Error::invalid("no value in force for " + name + "; cannot centre its search window");
            const double centre = static_cast<double>(it->second);
            d.lo = std::max({d.lo, centre / kTimeWindowFactor, 1.0});
            d.hi = std::min(d.hi, centre * kTimeWindowFactor);
            d.scale = Scale::log;
        }
        if (d.hi <= d.lo) return Error::invalid("empty search window for " + name);
        space.dims_.push_back(std::move(d));
    }
    if (space.dims_.empty()) return Error::invalid("the autotune set names no tunable");
    return space;
}

Point SearchSpace::encode(const TunableValues& values) const {
    Point x;
    for (const auto& d : dims_) {
        auto it = values.find(d.name);
        double v = it == values.end() ? d.lo : std::clamp(static_cast<double>(it->second), d.lo, d.hi);
        double u =
            d.scale == Scale::log ? std::log(v / d.lo) / std::log(d.hi / d.lo) : (v - d.lo) / (d.hi - d.lo);
        x.push_back(std::clamp(u, 0.0, 1.0));
    }
    return x;
}

TunableValues SearchSpace::decode(const Point& x) const {
    TunableValues out;
    for (size_t k = 0; k < dims_.size(); ++k) {
        const auto& d = dims_[k];
        const double u = std::clamp(x.at(k), 0.0, 1.0);
        double v = 0;
        switch (d.scale) {
            case Scale::boolean:
                v = u < 0.5 ? 0 : 1;
                break;
            case Scale::log:
                v = d.lo * std::pow(d.hi / d.lo, u);
                break;
            case Scale::linear:
                v = d.lo + u * (d.hi - d.lo);
                break;
        }
        out[d.name] = static_cast<std::uint64_t>(std::llround(std::clamp(v, d.lo, d.hi)));
    }
    if (out.count("slice_min_us") && out.count("slice_us"))
        out["slice_min_us"] = std::min(out["slice_min_us"], out["slice_us"]);
    return out;
}

}  // namespace gamesched::ml
