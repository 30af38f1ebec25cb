#include "helpers/detect/rule_parser.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace gamesched::detect {
namespace {

using nlohmann::json;

constexpr const char* kConditionKeys =
    "comm, exe, name, wine_program, arg, cgroup, env, threads_min, gpu, gamemode, steam_app_id, "
    "mangohud, parent, ancestor, all, any, not";
constexpr const char* kRuleKeys = "name, description, verdict, confidence, match, bonus, enabled";

Error fail(const std::string& where, const std::string& what) {
    return Error::invalid(where + ": " + what);
}

Result<std::vector<std::string>> parse_globs(const json& value, const std::string& where) {
    std::vector<std::string> globs;
    if (value.is_string()) {
        globs.push_back(value.get<std::string>());
    } else if (value.is_array()) {
        for (const auto& item : value) {
            if (!item.is_string()) return fail(where, "expected a string or a list of strings");
            globs.push_back(item.get<std::string>());
        }
    } else {
        return fail(where, "expected a string or a list of strings");
    }
    for (const auto& glob : globs) {
        if (glob.empty()) return fail(where, "empty pattern (use \"*\" to match anything)");
    }
    return globs;
}

Result<bool> parse_flag(const json& value, const std::string& where) {
    if (!value.is_boolean()) return fail(where, "expected true or false");
    return value.get<bool>();
}

Result<ConditionPtr> parse_condition(const json& value, const std::string& where);

Result<ConditionPtr> parse_term(const std::string& key, const json& value, const std::string& where) {
    static const std::pair<const char*, Field> kGlobFields[] = {
        {"comm", Field::comm}, {"exe", Field::exe},
        {"name", Field::name}, {"wine_program", Field::wine_program},
        {"arg", Field::arg},   {"cgroup", Field::cgroup}};
    for (const auto& [glob_key, field] : kGlobFields) {
        if (key != glob_key) continue;
        auto globs = parse_globs(value, where);
        if (!globs) return globs.error();
        return make_glob_condition(field, std::move(*globs));
    }
    if (key == "env") {
        if (!value.is_object() || value.empty()) {
            return fail(where, "expected an object of VARIABLE: \"glob\" (\"*\" = present)");
        }
        std::vector<std::pair<std::string, std::string>> vars;
        for (const auto& [name, glob] : value.items()) {
            if (!glob.is_string() || glob.get<std::string>().empty()) {
                return fail(where + "." + name, "expected a non-empty glob string");
            }
            vars.emplace_back(name, glob.get<std::string>());
        }
        return make_env_condition(std::move(vars));
    }
    if (key == "threads_min") {
        if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 1000000) {
            return fail(where, "expected an integer from 1 to 1000000");
        }
        return make_threads_at_least(value.get<int>());
    }
    if (key == "gpu" || key == "gamemode" || key == "steam_app_id" || key == "mangohud") {
        auto flag = parse_flag(value, where);
        if (!flag) return flag.error();
        if (key == "gpu") return make_uses_gpu(*flag);
        if (key == "gamemode") return make_gamemode_registered(*flag);
        if (key == "mangohud") return make_mangohud(*flag);
        return make_has_steam_app_id(*flag);
    }
    if (key == "parent" || key == "ancestor" || key == "not") {
        auto inner = parse_condition(value, where);
        if (!inner) return inner.error();
        if (key == "parent") return make_parent(std::move(*inner));
        if (key == "ancestor") return make_ancestor(std::move(*inner));
        return make_not(std::move(*inner));
    }
    if (key == "all" || key == "any") {
        if (!value.is_array() || value.empty()) return fail(where, "expected a non-empty list of conditions");
        std::vector<ConditionPtr> terms;
        for (std::size_t i = 0; i < value.size(); ++i) {
            auto term = parse_condition(value[i], where + "[" + std::to_string(i) + "]");
            if (!term) return term.error();
            terms.push_back(std::move(*term));
        }
        return key == "all" ? make_all(std::move(terms)) : make_any(std::move(terms));
    }
    return fail(where, "unknown condition '" + key + "'; known: " + kConditionKeys);
}

// An object's keys are ANDed: {"exe": "x", "arg": "y"} means both.
Result<ConditionPtr> parse_condition(const json& value, const std::string& where) {
    if (!value.is_object() || value.empty()) return fail(where, "expected a non-empty condition object");
    std::vector<ConditionPtr> terms;
    for (const auto& [key, item] : value.items()) {
        auto term = parse_term(key, item, where + "." + key);
        if (!term) return term.error();
        terms.push_back(std::move(*term));
    }
    if (terms.size() == 1) return std::move(terms.front());
    return make_all(std::move(terms));
}

Result<int> parse_score(const json& value, const std::string& where, int low, int high) {
    if (!value.is_number_integer() || value.get<long long>() < low || value.get<long long>() > high) {
        return fail(where, "expected an integer from " + std::to_string(low) + " to " + std::to_string(high));
    }
    return value.get<int>();
}

// A rule's name travels to the core as the hint's "source", a protocol token.
bool valid_rule_name(const std::string& name) {
    return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

Result<Rule> parse_rule(const json& value, const std::string& where) {
    if (!value.is_object()) return fail(where, "a rule must be an object");
    for (const auto& [key, item] : value.items()) {
        static const std::set<std::string> known = {"name",  "description", "verdict", "confidence",
                                                    "match", "bonus",       "enabled"};
        if (!known.contains(key)) return fail(where, "unknown key '" + key + "'; known: " + kRuleKeys);
    }
    Rule rule;
    if (!value.contains("name") || !value["name"].is_string() || !valid_rule_name(value["name"])) {
        return fail(
            where,
            "\"name\" must be 1-32 characters of a-z 0-9 _ - (it is sent to the core as the hint's source)");
    }
    rule.name = value["name"].get<std::string>();
    const std::string here = where + ": rule '" + rule.name + "'";
    if (value.contains("enabled")) {
        auto enabled = parse_flag(value["enabled"], here + ": enabled");
        if (!enabled) return enabled.error();
        rule.enabled = *enabled;
    }
    if (value.contains("description")) {
        if (!value["description"].is_string()) return fail(here, "\"description\" must be a string");
        rule.description = value["description"].get<std::string>();
    }
    // {"name": "x", "enabled": false} is a complete rule: it switches off a rule of that name.
    if (!rule.enabled && !value.contains("match")) return rule;

    if (!value.contains("verdict") || !value["verdict"].is_string() ||
        (value["verdict"] != "game" && value["verdict"] != "not_game")) {
        return fail(here, "\"verdict\" must be \"game\" or \"not_game\"");
    }
    rule.game = value["verdict"] == "game";
    if (!value.contains("confidence")) return fail(here, "\"confidence\" (0-100) is missing");
    auto confidence = parse_score(value["confidence"], here + ": confidence", 0, 100);
    if (!confidence) return confidence.error();
    rule.confidence = *confidence;
    if (!value.contains("match")) return fail(here, "\"match\" (a condition) is missing");
    auto match = parse_condition(value["match"], here + ": match");
    if (!match) return match.error();
    rule.match = std::move(*match);

    if (value.contains("bonus")) {
        const json& bonuses = value["bonus"];
        if (!bonuses.is_array()) return fail(here, "\"bonus\" must be a list of {\"when\": ..., \"add\": N}");
        for (std::size_t i = 0; i < bonuses.size(); ++i) {
            const std::string at = here + ": bonus[" + std::to_string(i) + "]";
            const json& item = bonuses[i];
            if (!item.is_object() || !item.contains("when") || !item.contains("add") || item.size() != 2) {
                return fail(at, "expected exactly {\"when\": <condition>, \"add\": N}");
            }
            auto when = parse_condition(item["when"], at + ".when");
            if (!when) return when.error();
            auto add = parse_score(item["add"], at + ".add", -100, 100);
            if (!add) return add.error();
            rule.bonuses.push_back({std::move(*when), *add});
        }
    }
    return rule;
}

int line_of_byte(std::string_view text, std::size_t byte) {
    byte = std::min(byte, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(byte), '\n'));
}

}  // namespace

std::vector<int> rule_start_lines(std::string_view text) {
    std::vector<int> lines;
    int line = 1, depth = 0;
    bool in_rules = false;
    std::string last_string, last_key;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') ++line;
        if (c == '"') {  // skip the string, remembering it in case it is a key
            std::size_t j = i + 1;
            while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
            last_string.assign(text.substr(i + 1, j - i - 1));
            i = j;
        } else if (c == ':' && depth == 1) {
            last_key = last_string;
        } else if (c == '{' || c == '[') {
            if (c == '{' && in_rules && depth == 2) lines.push_back(line);
            if (c == '[' && depth == 1 && last_key == "rules") in_rules = true;
            ++depth;
        } else if (c == '}' || c == ']') {
            --depth;
            if (depth < 2) in_rules = false;
        }
    }
    return lines;
}

Result<std::vector<Rule>> parse_rule_file(std::string_view text, const std::string& file_name) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        if (const auto at = what.find(": ", what.find("column")); at != std::string::npos)
            what = what.substr(at + 2);
        return Error::invalid(file_name + ":" +
                              std::to_string(line_of_byte(text, e.byte == 0 ? 0 : e.byte - 1)) +
                              ": invalid JSON: " + what);
    } catch (const json::out_of_range&) {
        // A number literal too large for a double: the parser knows no position for it.
        return Error::invalid(file_name +
                              ": invalid JSON: a number is out of range; use values the rule "
                              "schema documents (gamesched-detect(1))");
    }
    if (!doc.is_object() || !doc.contains("rules") || !doc["rules"].is_array()) {
        return Error::invalid(file_name + ":1: expected an object {\"rules\": [...]}");
    }
    for (const auto& [key, item] : doc.items()) {
        if (key != "rules")
            return Error::invalid(file_name + ":1: unknown top-level key '" + key + "'; only \"rules\"");
    }
    const std::vector<int> lines = rule_start_lines(text);
    std::vector<Rule> rules;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < doc["rules"].size(); ++i) {
        const int line = i < lines.size() ? lines[i] : 1;
        const std::string where = file_name + ":" + std::to_string(line);
        auto rule = parse_rule(doc["rules"][i], where);
        if (!rule) return rule.error();
        if (!seen.insert(rule->name).second) {
            return Error::invalid(where + ": rule '" + rule->name + "' is defined twice in this file");
        }
        rule->origin = where;
        rules.push_back(std::move(*rule));
    }
    return rules;
}

}  // namespace gamesched::detect
