#include "helpers/mlcollect/requests.h"

#include "helpers/mlcollect/csv_export.h"
#include "helpers/mlcollect/sample_store.h"

namespace gamesched::ml {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A game named on the command line: a profile's key, else the name of exactly one profile.
Result<std::string> resolve_game(const ProfileStore& profiles, const std::string& game) {
    if (game.empty()) return Error::invalid("name a game (its key or name; see gameschedctl profile list)");
    std::vector<std::string> named;
    for (const auto& p : profiles.list()) {
        if (p.key == game) return p.key;
        if (p.name == game) named.push_back(p.key);
    }
    if (named.size() == 1) return named.front();
    if (named.empty())
        return Error{ENOENT, "no profile for '" + game + "'; gameschedctl profile list shows the games"};
    std::string keys;
    for (const auto& k : named) keys += (keys.empty() ? "" : ", ") + k;
    return Error::invalid("'" + game + "' names several games (" + keys + "); give the key");
}

// Sample files may exist for a game without a profile (autotune off): a key is taken as it is.
Result<std::string> resolve_samples(const RequestContext& c, const std::string& game) {
    if (game.empty()) return std::string();
    if (auto key = resolve_game(c.profiles, game)) return key;
    std::error_code ec;
    if (fs::exists(c.samples_dir / (stem_for_key(game) + ".jsonl"), ec)) return game;
    return Error{ENOENT, "no samples for '" + game + "'; gameschedctl profile list shows the games"};
}

Result<Profile> load(const ProfileStore& profiles, const std::string& key) {
    auto p = profiles.get(key);
    if (!p) return p.error();
    if (!*p) return Error{ENOENT, "the profile of " + key + " is gone"};
    return std::move(**p);
}

}  // namespace

json profile_summary(const Profile& p) {
    int trials = 0;
    for (const auto& r : p.results) trials += r.baseline ? 0 : 1;
    return {{"key", p.key},
            {"name", p.name},
            {"status", status_name(p.status)},
            {"pinned", p.pinned},
            {"trials", trials},
            {"tunables", p.tunables},
            {"score", p.score ? json(*p.score) : json()},
            {"baseline_score", p.baseline_score ? json(*p.baseline_score) : json()},
            {"updated_ms", p.updated_ms}};
}

Status handle_request(const json& request, RequestContext& c, std::ostream& body) {
    if (!request.is_object() || !request.contains("request") || !request["request"].is_string())
        return Error::invalid("a request is a JSON object with a string \"request\"");
    const std::string name = request["request"].get<std::string>();
    const json& game_json = request.contains("game") ? request["game"] : json();
    if (!game_json.is_null() && !game_json.is_string()) return Error::invalid("\"game\" must be a string");
    const std::string game = game_json.is_string() ? game_json.get<std::string>() : std::string();

    if (name == "profile_list" || name == "profile_export") {
        std::vector<std::string> problems;
        json out = json::array();
        for (const auto& p : c.profiles.list(&problems)) {
            if (name == "profile_export" && !game.empty() && p.key != game && p.name != game) continue;
            out.push_back(name == "profile_list" ? profile_summary(p) : p.to_json());
        }
        if (name == "profile_export" && !game.empty() && out.empty())
            return resolve_game(c.profiles, game).error();
        if (name == "profile_list") out = {{"profiles", out}, {"unreadable", problems}};
        body << out.dump(2) << "\n";
        return Ok{};
    }
    if (name == "samples_csv") {
        auto key = resolve_samples(c, game);
        if (!key) return key.error();
        auto rows = export_csv(c.samples_dir, *key, body);
        if (!rows) return rows.error();
        return Ok{};
    }
    if (name != "profile_show" && name != "profile_pin" && name != "profile_unpin" && name != "profile_reset")
        return Error::invalid("unknown request '" + name + "'");
    auto key = resolve_game(c.profiles, game);
    if (!key) return key.error();
    if (name == "profile_reset") {
        auto removed = c.collector.reset(*key);
        if (!removed) return removed.error();
        body << json{{"removed", *key}}.dump(2) << "\n";
        return Ok{};
    }
    if (name == "profile_pin" || name == "profile_unpin") {
        if (auto st = c.collector.set_pinned(*key, name == "profile_pin"); !st) return st;
    }
    auto p = load(c.profiles, *key);
    if (!p) return p.error();
    body << p->to_json().dump(2) << "\n";
    return Ok{};
}

}  // namespace gamesched::ml
