// Rule file parsing and the layered rules.d directories: errors name file and line, a bad file
// is skipped on its own, later files override earlier ones by rule name.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <set>

#include "helpers/detect/classifier.h"
#include "helpers/detect/rule_loader.h"
#include "helpers/detect/rule_parser.h"
#include "tests/unit/detect/fake_proc.h"

using namespace gamesched::detect;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;
using gamesched::detect::testing::FakeProc;
using gamesched::detect::testing::TempDir;

namespace {

std::string rule_json(const std::string& name, const std::string& verdict, int confidence,
                      const std::string& match) {
    return R"({"name": ")" + name + R"(", "verdict": ")" + verdict + R"(", "confidence": )" +
           std::to_string(confidence) + R"(, "match": )" + match + "}";
}

std::string file_of(const std::vector<std::string>& rules) {
    std::string out = "{\n  \"rules\": [\n";
    for (std::size_t i = 0; i < rules.size(); ++i)
        out += "    " + rules[i] + (i + 1 < rules.size() ? ",\n" : "\n");
    return out + "  ]\n}\n";
}

std::set<std::string> names(const std::vector<Rule>& rules) {
    std::set<std::string> out;
    for (const auto& rule : rules) out.insert(rule.name);
    return out;
}

}  // namespace

TEST_CASE("A valid file parses into rules with their origin line", "[rules]") {
    const std::string text = file_of({rule_json("a", "game", 80, R"({"exe": "a"})"),
                                      rule_json("b", "not_game", 100, R"({"name": ["x", "y*"]})")});
    auto rules = parse_rule_file(text, "t.json");
    REQUIRE(rules.ok());
    REQUIRE(rules->size() == 2);
    CHECK(rules->at(0).name == "a");
    CHECK(rules->at(0).game);
    CHECK(rules->at(0).confidence == 80);
    CHECK(rules->at(0).origin == "t.json:3");
    CHECK(rules->at(1).origin == "t.json:4");
    CHECK_FALSE(rules->at(1).game);
}

TEST_CASE("rule_start_lines finds each rule object however the file is laid out", "[rules]") {
    const std::string text =
        "{\"comment\": \"[{ not a rule }]\",\n"
        " \"rules\": [\n"
        "  {\"name\": \"a\", \"match\": {\"any\": [{\"exe\": \"x\"}]}},\n"
        "\n"
        "  {\n"
        "   \"name\": \"b\\\"}\"\n"
        "  }\n"
        " ]\n"
        "}\n";
    CHECK(rule_start_lines(text) == std::vector<int>{3, 5});
}

TEST_CASE("Invalid JSON is reported with the file and the line of the mistake", "[rules]") {
    const std::string text = "{\n  \"rules\": [\n    {\"name\": \"a\",}\n  ]\n}\n";
    auto rules = parse_rule_file(text, "/etc/gamesched/rules.d/50-bad.json");
    REQUIRE_FALSE(rules.ok());
    CHECK_THAT(rules.error().message, StartsWith("/etc/gamesched/rules.d/50-bad.json:3: invalid JSON"));
}

TEST_CASE("A number too large for a double is an error, not an exception", "[rules]") {
    const std::string text = "{\"rules\": [{\"name\": \"a\", \"confidence\": 5e5240}]}";
    auto rules = parse_rule_file(text, "/etc/gamesched/rules.d/50-big.json");
    REQUIRE_FALSE(rules.ok());
    CHECK_THAT(rules.error().message,
               StartsWith("/etc/gamesched/rules.d/50-big.json: invalid JSON: a number is out of range"));
}

TEST_CASE("Schema mistakes name the file, the rule's line, the rule and what to fix", "[rules]") {
    struct Case {
        std::string rule;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {rule_json("r", "game", 80, R"({"exee": "x"})"), "unknown condition 'exee'; known: comm, exe"},
        {rule_json("r", "maybe", 80, R"({"exe": "x"})"), "\"verdict\" must be \"game\" or \"not_game\""},
        {rule_json("r", "game", 101, R"({"exe": "x"})"), "confidence: expected an integer from 0 to 100"},
        {rule_json("r", "game", 80, R"({"exe": 3})"), "match.exe: expected a string or a list of strings"},
        {rule_json("r", "game", 80, R"({"exe": ""})"), "empty pattern"},
        {rule_json("r", "game", 80, R"({})"), "match: expected a non-empty condition object"},
        {rule_json("r", "game", 80, R"({"any": []})"), "match.any: expected a non-empty list"},
        {rule_json("r", "game", 80, R"({"threads_min": 0})"), "threads_min: expected an integer"},
        {rule_json("r", "game", 80, R"({"gpu": "yes"})"), "match.gpu: expected true or false"},
        {rule_json("r", "game", 80, R"({"mangohud": 1})"), "match.mangohud: expected true or false"},
        {rule_json("r", "game", 80, R"({"env": {"X": 1}})"), "match.env.X: expected a non-empty glob"},
        {rule_json("r", "game", 80, R"({"ancestor": {"all": [{"exe": "a"}, {"bogus": 1}]}})"),
         "match.ancestor.all[1].bogus: unknown condition 'bogus'"},
        {R"({"name": "r", "verdict": "game", "confidence": 5, "match": {"exe": "x"}, "colour": 1})",
         "unknown key 'colour'"},
        {R"({"name": "bad name!", "verdict": "game", "confidence": 5, "match": {"exe": "x"}})",
         "\"name\" must be"},
        {R"({"name": "MyRule", "verdict": "game", "confidence": 5, "match": {"exe": "x"}})", "a-z 0-9 _ -"},
        {R"({"name": "r", "verdict": "game", "confidence": 5})", "\"match\" (a condition) is missing"},
        {R"({"name": "r", "verdict": "game", "confidence": 5, "match": {"exe": "x"}, "bonus": [{"when": {"gpu": true}}]})",
         "bonus[0]: expected exactly {\"when\""},
    };
    for (const auto& c : cases) {
        const std::string text = file_of({rule_json("fine", "game", 50, R"({"exe": "ok"})"), c.rule});
        auto rules = parse_rule_file(text, "f.json");
        INFO(c.rule);
        REQUIRE_FALSE(rules.ok());
        CHECK_THAT(rules.error().message, StartsWith("f.json:4: "));
        CHECK_THAT(rules.error().message, ContainsSubstring(c.expected));
    }
}

TEST_CASE("A rule defined twice in one file, or a file without \"rules\", is rejected", "[rules]") {
    auto twice = parse_rule_file(
        file_of({rule_json("a", "game", 1, R"({"exe": "x"})"), rule_json("a", "game", 2, R"({"exe": "y"})")}),
        "d.json");
    REQUIRE_FALSE(twice.ok());
    CHECK_THAT(twice.error().message, ContainsSubstring("d.json:4: rule 'a' is defined twice"));

    auto shapeless = parse_rule_file("[1, 2]", "s.json");
    REQUIRE_FALSE(shapeless.ok());
    CHECK_THAT(shapeless.error().message, StartsWith("s.json:1: expected an object {\"rules\": [...]}"));
}

TEST_CASE("Later directories override earlier ones by rule name; enabled:false removes a rule", "[rules]") {
    TempDir shipped, admin, user;
    shipped.write("10-a.json", file_of({rule_json("keep", "game", 50, R"({"exe": "k"})"),
                                        rule_json("replace", "game", 50, R"({"exe": "old"})"),
                                        rule_json("drop", "game", 50, R"({"exe": "d"})")}));
    shipped.write("20-b.json", file_of({rule_json("second", "not_game", 100, R"({"exe": "s"})")}));
    admin.write("50-site.json", file_of({rule_json("replace", "not_game", 90, R"({"exe": "new"})")}));
    user.write("99-me.json", file_of({R"({"name": "drop", "enabled": false})",
                                      rule_json("mine", "game", 100, R"({"name": "MyGame"})")}));
    user.write("notes.txt", "not a rule file");

    RuleLoad load =
        load_rule_dirs({shipped.path(), admin.path() / "missing-is-fine", admin.path(), user.path()});
    CHECK(load.errors.empty());
    CHECK(load.loaded_files.size() == 4);
    CHECK(names(load.rules) == std::set<std::string>{"keep", "replace", "second", "mine"});
    for (const auto& rule : load.rules) {
        if (rule.name == "replace") {
            CHECK_FALSE(rule.game);
            CHECK(rule.confidence == 90);
            CHECK_THAT(rule.origin, ContainsSubstring("50-site.json:3"));
        }
    }
}

TEST_CASE("A bad file is reported with file and line and skipped; the other files still load", "[rules]") {
    TempDir shipped, user;
    shipped.write("10-a.json", file_of({rule_json("base", "game", 50, R"({"exe": "b"})")}));
    user.write("10-typo.json", "{\n  \"rules\": [\n    {\"name\": \"base\", \"enabled\": false,}\n  ]\n}\n");
    user.write("20-ok.json", file_of({rule_json("extra", "game", 100, R"({"exe": "e"})")}));

    RuleLoad load = load_rule_dirs({shipped.path(), user.path()});
    REQUIRE(load.errors.size() == 1);
    CHECK_THAT(load.errors[0], StartsWith((user.path() / "10-typo.json").string() + ":3: invalid JSON"));
    CHECK_THAT(load.errors[0], ContainsSubstring("file skipped"));
    // The broken override did not apply: "base" is still there, and the good user file loaded.
    CHECK(names(load.rules) == std::set<std::string>{"base", "extra"});
}

TEST_CASE("The shipped rules.d loads without errors", "[rules]") {
    RuleLoad load = load_rule_dirs({gamesched::detect::testing::shipped_rules_dir()});
    for (const auto& error : load.errors) UNSCOPED_INFO(error);
    CHECK(load.errors.empty());
    CHECK(load.loaded_files.size() == 5);
    const auto loaded = names(load.rules);
    for (const char* expected :
         {"steam-client", "steam-install-run", "steam-game", "wine-infrastructure", "windows-launchers",
          "wine-starting", "wine-program", "launcher-clients", "lutris-game", "heroic-game",
          "gamescope-infrastructure", "gamescope-child", "gamemode-registered", "interpreters-and-wrappers",
          "desktop-apps", "dev-tools", "allow-list", "deny-list", "mangohud-program"}) {
        CHECK(loaded.contains(expected));
    }
}

TEST_CASE("Unknown answers never match, even under not()", "[rules]") {
    FakeProc proc;
    proc.add({.pid = 50, .comm = "hidden", .exe = "/usr/bin/hidden", .environ_unreadable = true});
    auto rules = parse_rule_file(
        file_of({rule_json("no-steam", "game", 80, R"({"not": {"env": {"SteamAppId": "*"}}})"),
                 rule_json("no-gpu", "game", 80, R"({"not": {"gpu": true}})")}),
        "u.json");
    REQUIRE(rules.ok());
    Classifier classifier(std::move(*rules));
    ProcReader reader(proc.root());
    auto info = reader.read(50, false);
    REQUIRE(info.ok());
    // Force "unreadable" regardless of who runs the test (root can read mode-0000 files).
    info->environ.reset();
    std::set<pid_t> none;
    MatchContext ctx(*info, reader, none);
    const Verdict v = classifier.classify(ctx);
    CHECK_FALSE(v.game);
    CHECK(v.rule.empty());
}

namespace {

Verdict classify_with(const std::vector<std::string>& rules,
                      const gamesched::detect::testing::FakeProcess& process) {
    auto parsed = parse_rule_file(file_of(rules), "c.json");
    REQUIRE(parsed.ok());
    const Classifier classifier(std::move(*parsed));
    FakeProc proc;
    proc.add(process);
    ProcReader reader(proc.root());
    auto info = reader.read(process.pid, true);
    REQUIRE(info.ok());
    std::set<pid_t> none;
    MatchContext ctx(*info, reader, none);
    return classifier.classify(ctx);
}

}  // namespace

TEST_CASE("Classifier: highest confidence wins, a tie goes to not_game in either order", "[classifier]") {
    const gamesched::detect::testing::FakeProcess p{.pid = 60, .comm = "g", .exe = "/bin/g", .threads = 10};
    const std::string yes80 = rule_json("yes", "game", 80, R"({"exe": "g"})");
    const std::string no80 = rule_json("no", "not_game", 80, R"({"exe": "g"})");
    const std::string no70 = rule_json("no70", "not_game", 70, R"({"exe": "g"})");
    CHECK(classify_with({yes80, no70}, p).game);
    CHECK(classify_with({no70, yes80}, p).rule == "yes");
    CHECK_FALSE(classify_with({yes80, no80}, p).game);
    CHECK(classify_with({no80, yes80}, p).rule == "no");
}

TEST_CASE("Classifier: bonuses add only when they hold and the sum stays within 0..100", "[classifier]") {
    const gamesched::detect::testing::FakeProcess p{.pid = 61, .comm = "g", .exe = "/bin/g", .threads = 10};
    const std::string rule = R"({"name": "r", "verdict": "game", "confidence": 90, "match": {"exe": "g"},
        "bonus": [{"when": {"threads_min": 5}, "add": 30}, {"when": {"threads_min": 50}, "add": -100},
                  {"when": {"comm": "other"}, "add": 1}]})";
    CHECK(classify_with({rule}, p).confidence == 100);
    const std::string penalty = R"({"name": "r", "verdict": "game", "confidence": 10, "match": {"exe": "g"},
        "bonus": [{"when": {"threads_min": 5}, "add": -50}]})";
    CHECK(classify_with({penalty}, p).confidence == 0);
}

TEST_CASE("Condition operators: parent, ancestor, all, any, not, arg, cgroup, env globs", "[classifier]") {
    FakeProc proc;
    proc.add({.pid = 70, .comm = "top", .exe = "/bin/top-launcher", .args = {"top-launcher", "--mode=fast"}});
    proc.add({.pid = 71, .ppid = 70, .comm = "mid", .exe = "/bin/mid"});
    proc.add({.pid = 72,
              .ppid = 71,
              .comm = "leaf",
              .exe = "/bin/leaf",
              .env = {{"MODE", "turbo-3"}},
              .cgroup = "/user.slice/app-foo.scope"});
    ProcReader reader(proc.root());
    std::set<pid_t> none;
    auto matches = [&](const std::string& condition) {
        auto parsed = parse_rule_file(file_of({rule_json("r", "game", 50, condition)}), "o.json");
        REQUIRE(parsed.ok());
        const Classifier classifier(std::move(*parsed));
        auto info = reader.read(72, false);
        REQUIRE(info.ok());
        MatchContext ctx(*info, reader, none);
        return classifier.classify(ctx).game;
    };
    CHECK(matches(R"({"parent": {"comm": "mid"}})"));
    CHECK_FALSE(matches(R"({"parent": {"comm": "top"}})"));
    CHECK(matches(R"({"ancestor": {"exe": "top-*", "arg": "--mode=*"}})"));
    CHECK_FALSE(matches(R"({"ancestor": {"comm": "leaf"}})"));  // ancestors exclude the process itself
    CHECK(matches(R"({"all": [{"comm": "LEAF"}, {"env": {"MODE": "turbo-?"}}]})"));  // globs ignore case
    CHECK_FALSE(matches(R"({"all": [{"comm": "leaf"}, {"env": {"MODE": "eco*"}}]})"));
    CHECK(matches(R"({"any": [{"comm": "nope"}, {"cgroup": "*/app-foo.scope"}]})"));
    CHECK(matches(R"({"not": {"env": {"ABSENT": "*"}}})"));
    CHECK_FALSE(matches(R"({"not": {"comm": "leaf"}})"));
    CHECK(matches(R"({"comm": "leaf", "exe": "leaf"})"));  // keys of one object are ANDed
    CHECK_FALSE(matches(R"({"comm": "leaf", "exe": "other"})"));
}
