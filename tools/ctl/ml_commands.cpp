#include "tools/ctl/ml_commands.h"

#include <cstdio>

#include "ipc/mlcollect_client.h"

namespace gamesched::ctl {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kReplyWait = 60s;  // a CSV export of many games takes a while on a slow machine

std::string cell(const json& v) {
    if (v.is_null()) return "-";
    if (v.is_number_float()) {
        char text[32];
        std::snprintf(text, sizeof text, "%.3f", v.get<double>());
        return text;
    }
    return v.is_string() ? v.get<std::string>() : v.dump();
}

void print_table(const json& body) {
    std::printf("%-28s %-20s %-14s %-6s %-6s %-8s %-8s %s\n", "KEY", "NAME", "STATUS", "PINNED", "TRIALS",
                "SCORE", "DEFAULTS", "TUNABLES");
    for (const auto& p : body.value("profiles", json::array())) {
        std::string tunables;
        const json in_profile = p.value("tunables", json::object());  // items() needs it alive
        for (const auto& [name, v] : in_profile.items())
            tunables += (tunables.empty() ? "" : " ") + name + "=" + v.dump();
        std::printf("%-28s %-20s %-14s %-6s %-6s %-8s %-8s %s\n", cell(p["key"]).c_str(),
                    cell(p["name"]).c_str(), cell(p["status"]).c_str(),
                    p.value("pinned", false) ? "yes" : "no", cell(p["trials"]).c_str(),
                    cell(p["score"]).c_str(), cell(p["baseline_score"]).c_str(), tunables.c_str());
    }
    for (const auto& problem : body.value("unreadable", json::array()))
        std::fprintf(stderr, "gameschedctl: unreadable profile: %s\n", cell(problem).c_str());
}

}  // namespace

Result<MlCommand> parse_ml_command(const std::vector<std::string>& words) {
    MlCommand c;
    bool csv = false, as_json = false;
    std::vector<std::string> args;
    for (const auto& w : words) {
        if (w == "--csv")
            csv = true;
        else if (w == "--json")
            as_json = true;
        else
            args.push_back(w);
    }
    const std::string what = args.size() > 1 ? args[1] : "";
    auto game_arg = [&](bool required) -> Status {
        if (args.size() > 3) return Error::invalid(args[0] + " " + what + " takes one game");
        if (args.size() == 3) c.request["game"] = args[2];
        if (required && args.size() < 3)
            return Error::invalid(args[0] + " " + what + " needs a GAME (key or name)");
        return Ok{};
    };
    if (args[0] == "ml") {
        if (what != "export") return Error::invalid("ml: the command is 'ml export --csv [GAME]'");
        if (!csv) return Error::invalid("ml export: CSV is the only format; add --csv");
        c.request["request"] = "samples_csv";
        if (auto st = game_arg(false); !st) return st.error();
        return c;
    }
    if (what == "list") {
        if (args.size() > 2) return Error::invalid("profile list takes no game");
        c.request["request"] = "profile_list";
        c.table = !as_json;
        return c;
    }
    if (what == "show" || what == "pin" || what == "unpin" || what == "reset" || what == "export") {
        c.request["request"] = "profile_" + what;
        if (auto st = game_arg(what != "export"); !st) return st.error();
        return c;
    }
    return Error::invalid("profile: unknown or missing subcommand '" + what +
                          "' (list, show, pin, unpin, reset, export)");
}

Status run_ml_command(const MlCommand& c, const std::string& socket_dir) {
    std::string table_body;
    const ipc::BodySink sink = [&](std::string_view piece) {
        if (c.table) {
            table_body += piece;
        } else {
            std::fwrite(piece.data(), 1, piece.size(), stdout);
        }
    };
    const std::string path = socket_dir + "/" + ipc::kMlcollectSocketName;
    if (auto done = ipc::mlcollect_request(path, c.request, sink, kReplyWait); !done)
        return done.error().error;
    if (c.table) {
        const json parsed = json::parse(table_body, nullptr, false);
        if (parsed.is_discarded()) return Error{EPROTO, "gamesched-mlcollect's profile list is not JSON"};
        print_table(parsed);
    }
    std::fflush(stdout);
    return Ok{};
}

}  // namespace gamesched::ctl
