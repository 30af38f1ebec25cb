#include "tools/ctl/ml_commands.h"

#include <poll.h>

#include <cstdio>

#include "ipc/unix_socket.h"

namespace gamesched::ctl {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr std::size_t kMaxRecordBytes = 1 << 20;
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

Result<ipc::Received> next_record(int fd) {
    auto ready = ipc::wait_fd(fd, POLLIN, kReplyWait);
    if (!ready) return ready.error();
    if (!*ready) return Error{ETIMEDOUT, "gamesched-mlcollect did not answer within 60 s"};
    return ipc::recv_record(fd, kMaxRecordBytes);
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
    const std::string path = socket_dir + "/mlcollect.sock";
    auto fd = ipc::connect_seqpacket(path);
    if (!fd) {
        const int code = fd.error().code;
        if (code == EACCES || code == EPERM)
            return Error{code, "not allowed to use " + path + ": root or group gamesched only"};
        return Error{code, "cannot reach gamesched-mlcollect at " + path + " (" + fd.error().message +
                               "); start it: systemctl enable --now gamesched-mlcollect.socket"};
    }
    if (auto sent = ipc::send_record(fd->get(), c.request.dump()); !sent || *sent != ipc::IoStatus::done)
        return Error{EIO, "could not send the request to gamesched-mlcollect"};
    std::string body;
    for (;;) {
        auto record = next_record(fd->get());
        if (!record) return record.error();
        if (record->status == ipc::IoStatus::closed)
            return Error{EIO, "gamesched-mlcollect closed the connection before its answer was complete"};
        const json r = json::parse(record->bytes, nullptr, false);
        if (!r.is_object()) return Error{EPROTO, "gamesched-mlcollect sent something that is not JSON"};
        if (auto data = r.find("data"); data != r.end() && data->is_string()) {
            if (c.table) {
                body += data->get<std::string>();
            } else {
                std::fwrite(data->get_ref<const std::string&>().data(), 1,
                            data->get_ref<const std::string&>().size(), stdout);
            }
            continue;
        }
        if (!r.value("ok", false))
            return Error{EINVAL, "gamesched-mlcollect: " + r.value("error", std::string("failed"))};
        break;
    }
    if (c.table) {
        const json parsed = json::parse(body, nullptr, false);
        if (parsed.is_discarded()) return Error{EPROTO, "gamesched-mlcollect's profile list is not JSON"};
        print_table(parsed);
    }
    std::fflush(stdout);
    return Ok{};
}

}  // namespace gamesched::ctl
