#include "helpers/mlcollect/interval.h"

namespace gamesched::ml {
namespace {

using nlohmann::json;

// A non-negative integer (JSON built in C++ from an int is signed; parsed text is unsigned).
std::optional<std::uint64_t> as_count(const json& v) {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
        return static_cast<std::uint64_t>(v.get<std::int64_t>());
    return std::nullopt;
}

std::uint64_t count(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() ? as_count(*it).value_or(0) : 0;
}

double number(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string text(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<RoleStats> parse_role(const json& r) {
    if (!r.is_object()) return Error::invalid("a role entry is not an object");
    RoleStats s;
    if (auto h = r.find("wait_hist"); h != r.end()) {
        if (!h->is_array() || h->size() != kWaitBuckets)
            return Error::invalid("wait_hist must hold " + std::to_string(kWaitBuckets) + " buckets");
        for (std::size_t b = 0; b < kWaitBuckets; ++b) {
            auto c = as_count((*h)[b]);
            if (!c) return Error::invalid("wait_hist holds a non-count");
            s.wait_hist[b] = *c;
        }
    }
    s.wait_sum_us = count(r, "wait_sum_us");
    s.wakeups = count(r, "wakeups");
    s.period_sum_us = count(r, "period_sum_us");
    s.beat_misses = count(r, "beat_misses");
    return s;
}

Result<GameInterval> parse_game(const json& g) {
    if (!g.is_object() || !g.contains("pid") || !g["pid"].is_number_integer())
        return Error::invalid("a game entry without a pid");
    GameInterval out;
    out.id.pid = g["pid"].get<int>();
    out.id.name = text(g, "name");
    out.id.source = text(g, "source");
    out.id.exe = text(g, "exe");
    if (auto a = text(g, "app_id"); !a.empty()) out.id.app_id = a;
    out.cpu_ms = number(g, "cpu_ms");
    out.boosts = count(g, "boosts");
    out.preempt_kicks = count(g, "preempt_kicks");
    out.migrations = count(g, "migrations");
    if (auto roles = g.find("roles"); roles != g.end() && roles->is_object()) {
        for (const auto& [name, r] : roles->items()) {
            auto parsed = parse_role(r);
            if (!parsed) return parsed.error().context("role " + name);
            out.roles[name] = *parsed;
        }
    }
    return out;
}

}  // namespace

void RoleStats::add(const RoleStats& o) {
    for (std::size_t b = 0; b < kWaitBuckets; ++b) wait_hist[b] += o.wait_hist[b];
    wait_sum_us += o.wait_sum_us;
    wakeups += o.wakeups;
    period_sum_us += o.period_sum_us;
    beat_misses += o.beat_misses;
}

std::uint64_t RoleStats::waits() const {
    std::uint64_t n = 0;
    for (auto c : wait_hist) n += c;
    return n;
}

std::string GameIdentity::key() const {
    if (app_id && !app_id->empty()) {
        const bool steam = source == "steam" || source == "proton";
        return (steam ? std::string("steam") : source.empty() ? std::string("app") : source) + "-" + *app_id;
    }
    return "exe-" + (exe.empty() ? name : exe);
}

Result<Interval> parse_interval(const json& sample) {
    if (!sample.is_object()) return Error::invalid("a stats sample is not an object");
    const auto cpu = sample.find("cpu");
    const auto games = sample.find("games");
    if (cpu == sample.end() || !cpu->is_object() || games == sample.end() || !games->is_array())
        return Error::invalid(
            "the stats sample has no per-game part (\"cpu\", \"games\"); is the core attached "
            "and as new as this collector?");
    Interval out;
    out.ts_ms = sample.value("ts", std::int64_t{0});
    out.interval_ms = number(*cpu, "interval_ms");
    out.capacity_ms = number(*cpu, "capacity_ms");
    out.background_ms = number(*cpu, "background_ms");
    if (auto c = sample.find("counters"); c != sample.end() && c->is_object())
        out.starvation_rescues = count(*c, "starvation_rescue");
    if (auto st = sample.find("state"); st != sample.end() && st->is_object()) {
        if (auto t = st->find("tunables"); t != st->end() && t->is_object()) {
            for (const auto& [name, v] : t->items()) {
                if (v.is_boolean()) {
                    out.tunables[name] = v.get<bool>() ? 1 : 0;
                } else if (auto c = as_count(v)) {
                    out.tunables[name] = *c;
                }
            }
        }
    }
    for (const auto& g : *games) {
        auto parsed = parse_game(g);
        if (!parsed) return parsed.error().context("stats sample");
        out.games.push_back(std::move(*parsed));
    }
    return out;
}

json sample_record(const Interval& iv, const GameInterval& g, const std::string& phase,
                   std::optional<int> trial) {
    json roles = json::object();
    std::uint64_t misses = 0;
    for (const auto& [name, r] : g.roles) {
        roles[name] = {{"wait_hist", r.wait_hist},
                       {"wait_sum_us", r.wait_sum_us},
                       {"wakeups", r.wakeups},
                       {"period_sum_us", r.period_sum_us},
                       {"beat_misses", r.beat_misses}};
        misses += r.beat_misses;
    }
    json rec = {{"schema", kRecordSchema},
                {"kind", "sample"},
                {"ts_ms", iv.ts_ms},
                {"interval_ms", iv.interval_ms},
                {"game",
                 {{"key", g.id.key()},
                  {"pid", g.id.pid},
                  {"name", g.id.name},
                  {"exe", g.id.exe},
                  {"source", g.id.source}}},
                {"phase", phase},
                {"tunables", iv.tunables},
                {"roles", roles},
                {"deadline_misses", misses},
                {"boosts", g.boosts},
                {"preemptions", g.preempt_kicks},
                {"migrations", g.migrations},
                {"game_cpu_ms", g.cpu_ms},
                {"game_cpu_share", iv.capacity_ms > 0 ? g.cpu_ms / iv.capacity_ms : 0.0},
                {"background_cpu_ms", iv.background_ms},
                {"background_cpu_share", iv.capacity_ms > 0 ? iv.background_ms / iv.capacity_ms : 0.0},
                {"starvation_rescues", iv.starvation_rescues}};
    if (g.id.app_id) rec["game"]["app_id"] = *g.id.app_id;
    if (trial) rec["trial"] = *trial;
    return rec;
}

}  // namespace gamesched::ml
