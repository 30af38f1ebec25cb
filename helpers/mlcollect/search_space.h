// What the autotuner searches: a few runtime tunables (their names, ranges and units come from
// the protocol's one tunables table, ipc::kTunableRanges), mapped to and from the optimiser's
// unit cube. Times are searched on a log scale around the value in force, percentages over
// their whole range, switches as 0/1.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "helpers/mlcollect/gaussian_process.h"
#include "util/result.h"

namespace gamesched::ml {

// Tunables by wire name, in wire units (microseconds, percent, 0/1 for switches).
using TunableValues = std::map<std::string, std::uint64_t>;

// A tunable the protocol accepts: name and valid range.
struct TunableSpec {
    std::string name;
    std::uint64_t min = 0;
    std::uint64_t max = 0;
};

// Every tunable the protocol knows, read from its table (plus the one switch it keeps apart).
[[nodiscard]] std::vector<TunableSpec> protocol_tunables();

// Searched unless configured otherwise. Never searched: runtime_cap_us (it bounds how long any
// task can be overtaken; a trial must not buy latency by loosening what protects everything else).
[[nodiscard]] const std::vector<std::string>& default_search_names();
inline constexpr const char* kNeverSearched = "runtime_cap_us";

enum class Scale : std::uint8_t { linear, log, boolean };

struct Dimension {
    std::string name;
    double lo = 0, hi = 1;  // wire units
    Scale scale = Scale::linear;
};

class SearchSpace {
public:
    // names: the tunables to search (each must be in specs); current: the tunables in force,
    // which centre the time windows and fill what is not searched.
    static Result<SearchSpace> make(const std::vector<std::string>& names,
                                    const std::vector<TunableSpec>& specs, const TunableValues& current);

    [[nodiscard]] size_t size() const { return dims_.size(); }
    [[nodiscard]] const std::vector<Dimension>& dimensions() const { return dims_; }
    // Values outside a window are clamped to it.
    [[nodiscard]] Point encode(const TunableValues& values) const;
    // Only the searched tunables, rounded, with slice_min_us kept <= slice_us (the core's
    // cross-field rule).
    [[nodiscard]] TunableValues decode(const Point& x) const;

private:
    std::vector<Dimension> dims_;
};

}  // namespace gamesched::ml
