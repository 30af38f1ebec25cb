#include "tools/ctl/live_view.h"

#include "util/log2_histogram.h"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <array>
#include <map>

namespace gamesched::ctl {
namespace {

using Json = nlohmann::json;

// The roles in the order a player cares about them (names as bpf_views.cpp's role_name).
constexpr std::array<const char*, 6> kRoleOrder = {"input", "render", "gpu_submit",
                                                   "audio", "worker", "none"};

std::size_t role_rank(const std::string& role) {
    const auto it = std::find(kRoleOrder.begin(), kRoleOrder.end(), role);
    return static_cast<std::size_t>(it - kRoleOrder.begin());
}

// j[key1][key2]... or null when any step is missing or not an object.
const Json& dig(const Json& j, std::initializer_list<const char*> path) {
    static const Json null;
    const Json* at = &j;
    for (const char* key : path) {
        if (!at->is_object()) return null;
        const auto it = at->find(key);
        if (it == at->end()) return null;
        at = &*it;
    }
    return *at;
}

std::string text(const Json& j, const std::string& fallback = "") {
    return j.is_string() ? j.get<std::string>() : fallback;
}

double number(const Json& j) {
    return j.is_number() ? j.get<double>() : 0.0;
}

int integer(const Json& j) {
    return j.is_number_integer() ? j.get<int>() : 0;
}

// A non-negative count (histogram bucket, number of waits); 0 for anything else.
std::uint64_t count(const Json& j) {
    if (j.is_number_unsigned()) return j.get<std::uint64_t>();
    if (j.is_number_integer())
        return static_cast<std::uint64_t>(std::max<std::int64_t>(j.get<std::int64_t>(), 0));
    return j.is_number_float() && j.get<double>() >= 0 ? static_cast<std::uint64_t>(j.get<double>()) : 0;
}

const Json& first_of(const Json& a, const Json& b) {
    return a.is_null() ? b : a;
}

// Thread counts per (tgid, role) from the sample's (or the status's) game_threads.
std::map<int, std::map<std::string, int>> threads_by_game(const Json& threads) {
    std::map<int, std::map<std::string, int>> out;
    if (!threads.is_array()) return out;
    for (const auto& t : threads) ++out[integer(dig(t, {"tgid"}))][text(dig(t, {"role"}), "none")];
    return out;
}

std::vector<RoleRow> role_rows(const std::map<std::string, int>& threads, const Json& waits) {
    std::map<std::string, RoleRow> rows;
    for (const auto& [role, count] : threads) rows[role] = {role, count, 0, 0, 0};
    if (waits.is_object()) {
        for (const auto& [role, w] : waits.items()) {
            RoleRow& row = rows[role];
            row.role = role;
            const Json& hist = dig(w, {"wait_hist"});
            if (!hist.is_array()) continue;
            std::vector<std::uint64_t> buckets;
            for (const auto& b : hist) buckets.push_back(count(b));
            for (auto b : buckets) row.waits += b;
            row.p50_us = log2_histogram_percentile_us(buckets, 50);
            row.p99_us = log2_histogram_percentile_us(buckets, 99);
        }
    }
    std::vector<RoleRow> out;
    for (auto& [role, row] : rows) out.push_back(std::move(row));
    std::sort(out.begin(), out.end(),
              [](const RoleRow& a, const RoleRow& b) { return role_rank(a.role) < role_rank(b.role); });
    return out;
}

std::string wait_text(std::uint64_t us, std::uint64_t waits) {
    if (waits == 0) return "-";
    return us >= 10'000 ? fmt::format("{}ms", us / 1000) : fmt::format("{}us", us);
}

}  // namespace

LiveView make_live_view(const Json& snapshot) {
    LiveView view;
    const Json& stats = dig(snapshot, {"stats"});
    const Json& scheduler = dig(snapshot, {"scheduler"});
    view.state =
        text(first_of(dig(stats, {"sched_ext", "state"}), dig(scheduler, {"kernel", "sched_ext", "state"})),
             "unknown");
    view.ops =
        text(first_of(dig(stats, {"sched_ext", "ops"}), dig(scheduler, {"kernel", "sched_ext", "ops"})));
    view.mode = text(first_of(dig(scheduler, {"mode"}), dig(stats, {"state", "mode"})), "unknown");
    view.focus_pid =
        integer(first_of(dig(snapshot, {"server", "focus", "pid"}), dig(scheduler, {"focus_pid"})));

    const double interval_ms = number(dig(stats, {"cpu", "interval_ms"}));
    view.have_sample = stats.is_object() && !stats.empty();
    view.interval_s = interval_ms / 1000.0;
    if (view.interval_s > 0) {
        view.boosts_per_s = number(dig(stats, {"counters", "boosted"})) / view.interval_s;
        view.preemptions_per_s = number(dig(stats, {"counters", "preempt_kick"})) / view.interval_s;
    }
    const Json& wait = dig(stats, {"wait"});
    if (wait.is_object()) {
        for (const auto& [role, w] : wait.items()) {
            view.all_roles.push_back(
                {role, 0, count(dig(w, {"n"})), count(dig(w, {"p50_us"})), count(dig(w, {"p99_us"}))});
        }
        std::sort(view.all_roles.begin(), view.all_roles.end(),
                  [](const RoleRow& a, const RoleRow& b) { return role_rank(a.role) < role_rank(b.role); });
    }

    const auto threads =
        threads_by_game(first_of(dig(stats, {"game_threads"}), dig(scheduler, {"kernel", "game_threads"})));
    std::map<int, const Json*> usage;
    if (const Json& games = dig(stats, {"games"}); games.is_array()) {
        for (const auto& g : games) usage[integer(dig(g, {"pid"}))] = &g;
    }
    const Json& leases = dig(snapshot, {"server", "games"});
    const Json& listed = leases.is_array() ? leases : dig(stats, {"state", "games"});
    if (!listed.is_array()) return view;
    for (const auto& g : listed) {
        GameRow row;
        row.pid = integer(dig(g, {"pid"}));
        row.uid = static_cast<std::uint32_t>(integer(first_of(dig(g, {"owner_uid"}), dig(g, {"uid"}))));
        row.name = text(dig(g, {"name"}));
        row.source = text(dig(g, {"source"}));
        row.focused = row.pid != 0 && row.pid == view.focus_pid;
        const auto used = usage.find(row.pid);
        const Json& game_usage = used == usage.end() ? Json() : *used->second;
        if (interval_ms > 0) row.cpu_pct = number(dig(game_usage, {"cpu_ms"})) / interval_ms * 100.0;
        const auto found = threads.find(row.pid);
        row.roles = role_rows(found == threads.end() ? std::map<std::string, int>{} : found->second,
                              dig(game_usage, {"roles"}));
        view.games.push_back(std::move(row));
    }
    return view;
}

Json to_json(const LiveView& view) {
    const auto roles = [](const std::vector<RoleRow>& rows) {
        Json out = Json::object();
        for (const auto& r : rows) {
            out[r.role] = {{"threads", r.threads},
                           {"waits", r.waits},
                           {"wait_p50_us", r.p50_us},
                           {"wait_p99_us", r.p99_us}};
        }
        return out;
    };
    Json games = Json::array();
    for (const auto& g : view.games) {
        games.push_back({{"pid", g.pid},
                         {"uid", g.uid},
                         {"name", g.name},
                         {"source", g.source},
                         {"focused", g.focused},
                         {"cpu_pct", g.cpu_pct},
                         {"roles", roles(g.roles)}});
    }
    return {{"state", view.state},
            {"ops", view.ops},
            {"mode", view.mode},
            {"focus_pid", view.focus_pid},
            {"interval_s", view.interval_s},
            {"boosts_per_s", view.boosts_per_s},
            {"preemptions_per_s", view.preemptions_per_s},
            {"wait", roles(view.all_roles)},
            {"games", games}};
}

std::vector<std::string> render(const LiveView& view, const std::string& via, int width) {
    std::vector<std::string> lines;
    lines.push_back(fmt::format("gamesched  state {}{}  mode {}  via {}", view.state,
                                view.ops.empty() ? "" : " (" + view.ops + ")", view.mode, via));
    if (!view.have_sample) {
        lines.push_back("waiting for the first statistics sample");
    } else {
        lines.push_back(fmt::format("boosts {:.1f}/s  preemptions {:.1f}/s  focus {}", view.boosts_per_s,
                                    view.preemptions_per_s,
                                    view.focus_pid ? std::to_string(view.focus_pid) : "-"));
        std::string all = "wait p50/p99 all tasks:";
        for (const auto& r : view.all_roles)
            all +=
                fmt::format("  {} {}/{}", r.role, wait_text(r.p50_us, r.waits), wait_text(r.p99_us, r.waits));
        lines.push_back(all);
    }
    lines.emplace_back();
    lines.push_back(fmt::format("games: {}", view.games.size()));
    lines.push_back(fmt::format("{:>7} {:>6} {:<20} {:<12} {:>5}  {:<10} {:>3} {:>8} {:>8}", "PID", "UID",
                                "NAME", "SOURCE", "CPU%", "ROLE", "THR", "WAIT p50", "p99"));
    for (const auto& g : view.games) {
        const std::string name = (g.focused ? "*" : "") + g.name.substr(0, 19);
        std::string head = fmt::format("{:>7} {:>6} {:<20} {:<12} {:>5.1f}", g.pid, g.uid, name,
                                       g.source.substr(0, 12), g.cpu_pct);
        if (g.roles.empty()) lines.push_back(head + "  (no threads classified yet)");
        for (std::size_t i = 0; i < g.roles.size(); ++i) {
            const auto& r = g.roles[i];
            lines.push_back(fmt::format("{}  {:<10} {:>3} {:>8} {:>8}",
                                        i == 0 ? head : std::string(head.size(), ' '), r.role, r.threads,
                                        wait_text(r.p50_us, r.waits), wait_text(r.p99_us, r.waits)));
        }
    }
    for (auto& line : lines) {
        if (width > 0 && line.size() > static_cast<std::size_t>(width))
            line.resize(static_cast<std::size_t>(width));
    }
    return lines;
}

}  // namespace gamesched::ctl
