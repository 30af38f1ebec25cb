// The printed tables of `gamesched-bench report` (each also returned as JSON for the result
// file): ratios against EEVDF, absolute medians, the CPU budget, the BPF cost per program.
#pragma once

#include <nlohmann/json.hpp>

#include "tools/bench/report_budget.h"
#include "tools/bench/report_model.h"

namespace gamesched::bench {

std::string format_number(std::optional<double> v);

nlohmann::json print_ratio_table(const Samples& samples);
nlohmann::json print_budget_table(const Samples& samples);
// The BPF share tables and, per scenario named in `ops_by_scenario`, a table per program.
nlohmann::json print_bpf_table(const Samples& samples, const std::map<std::string, OpTable>& ops_by_scenario);

}  // namespace gamesched::bench
