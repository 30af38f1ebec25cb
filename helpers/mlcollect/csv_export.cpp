#include "helpers/mlcollect/csv_export.h"

#include <set>
#include <vector>

#include "helpers/mlcollect/interval.h"
#include "helpers/mlcollect/jsonl_log.h"
#include "helpers/mlcollect/sample_store.h"

namespace gamesched::ml {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kRoles[] = {"input", "render", "gpu_submit", "audio", "worker"};
constexpr const char* kCounts[] = {
    "deadline_misses",   "boosts",         "preemptions",       "migrations",
    "game_cpu_ms",       "game_cpu_share", "background_cpu_ms", "background_cpu_share",
    "starvation_rescues"};

// RFC 4180 quoting where needed; numbers and plain words go as they are.
std::string cell(const json& v) {
    if (v.is_null()) return "";
    std::string text = v.is_string() ? v.get<std::string>() : v.dump();
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

std::vector<std::string> stems(const fs::path& dir, const std::string& game_key) {
    std::set<std::string> out;
    if (!game_key.empty()) return {stem_for_key(game_key)};
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::string name = entry.path().filename().string();
        if (name.size() < 7 || name.compare(name.size() - 6, 6, ".jsonl") != 0) continue;
        out.insert(name.substr(0, name.find('.')));
    }
    return {out.begin(), out.end()};
}

}  // namespace

Result<std::size_t> export_csv(const fs::path& dir, const std::string& game_key, std::ostream& out) {
    std::vector<json> rows;
    std::set<std::string> tunables;
    for (const auto& stem : stems(dir, game_key)) {
        auto read = read_log(dir, stem);
        if (!read) return read.error();
        for (auto& r : read->records) {
            if (r.value("kind", "") != "sample" || r.value("schema", 0) != kRecordSchema) continue;
            const json in_force = r.value("tunables", json::object());  // items() needs it alive
            for (const auto& [name, v] : in_force.items()) tunables.insert(name);
            rows.push_back(std::move(r));
        }
    }
    out << "game_key,game_name,ts_ms,interval_ms,phase,trial";
    for (const auto& t : tunables) out << "," << t;
    for (const char* role : kRoles)
        out << "," << role << "_waits," << role << "_wait_mean_us," << role << "_wakeups";
    for (const char* c : kCounts) out << "," << c;
    out << "\n";
    for (const auto& r : rows) {
        const json& game = r.value("game", json::object());
        out << cell(game.value("key", json())) << "," << cell(game.value("name", json())) << ","
            << cell(r.value("ts_ms", json())) << "," << cell(r.value("interval_ms", json())) << ","
            << cell(r.value("phase", json())) << "," << cell(r.value("trial", json()));
        const json& t = r.value("tunables", json::object());
        for (const auto& name : tunables) out << "," << cell(t.value(name, json()));
        const json& roles = r.value("roles", json::object());
        for (const char* role : kRoles) {
            const json& rs = roles.value(role, json::object());
            std::uint64_t waits = 0;
            for (const auto& b : rs.value("wait_hist", json::array()))
                waits += b.is_number() ? b.get<std::uint64_t>() : 0;
            const double sum = rs.value("wait_sum_us", 0.0);
            out << "," << waits << "," << (waits ? cell(sum / static_cast<double>(waits)) : std::string())
                << "," << rs.value("wakeups", std::uint64_t{0});
        }
        for (const char* c : kCounts) out << "," << cell(r.value(c, json()));
        out << "\n";
    }
    return rows.size();
}

}  // namespace gamesched::ml
