#include "tools/ctl/commands.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>

#include "core/config/core_config.h"
#include "ipc/codec.h"
#include "ipc/core_client.h"
#include "tools/ctl/persist.h"
#include "util/unique_fd.h"

namespace gamesched::ctl {
namespace {

using namespace std::chrono_literals;

Result<ipc::Pid> parse_pid(const std::string& text) {
    ipc::Pid pid = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (ec != std::errc() || end != text.data() + text.size() || pid < 0) {
        return Error::invalid("'" + text + "' is not a process id");
    }
    return pid;
}

Status parse_tunable(const std::string& assignment, ipc::Tunables& t) {
    auto eq = assignment.find('=');
    if (eq == std::string::npos) return Error::invalid("'" + assignment + "' is not KEY=VALUE");
    std::string key = assignment.substr(0, eq), value = assignment.substr(eq + 1);
    if (key == "preempt_enabled") {
        if (value != "0" && value != "1") return Error::invalid("preempt_enabled wants 0 or 1");
        t.preempt_enabled = value == "1";
        return Ok{};
    }
    for (const auto& range : ipc::kTunableRanges) {
        if (range.name != key) continue;
        uint64_t v = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec != std::errc() || end != value.data() + value.size())
            return Error::invalid(key + " wants a number");
        t.*range.member = v;  // the core checks the range and answers with what is wrong
        return Ok{};
    }
    return Error::invalid("unknown tunable '" + key + "' (see docs/protocol.md, set_tunables)");
}

// Waits for SIGTERM/SIGINT, or for the server to close the connection.
void hold_until_signalled(const ipc::CoreClient& client) {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, nullptr);
    UniqueFd sfd(signalfd(-1, &mask, SFD_CLOEXEC));
    pollfd fds[2] = {{sfd.get(), POLLIN, 0}, {client.fd(), POLLRDHUP, 0}};
    while (poll(fds, 2, -1) < 0 && errno == EINTR) {
    }
}

}  // namespace

Result<Command> parse_command(const std::vector<std::string>& args) {
    Command c;
    c.config_path = kDefaultConfigPath;
    std::vector<std::string> words;
    bool events = false, stats = false;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "-h" || args[i] == "--help")
            c.help = true;
        else if (args[i] == "--hold")
            c.hold = true;
        else if (args[i] == "--events")
            events = true;
        else if (args[i] == "--stats")
            stats = true;
        else if (args[i] == "--socket-dir" && i + 1 < args.size())
            c.socket_dir = args[++i];
        else if (args[i] == "--persist")
            c.persist = true;
        else if (args[i] == "--config" && i + 1 < args.size())
            c.config_path = args[++i];
        else
            words.push_back(args[i]);
    }
    if (c.help) return c;
    if (words.empty()) return Error::invalid("no command; see gameschedctl --help");
    const std::string& verb = words[0];
    auto need = [&](size_t n) -> Status {
        if (words.size() < n + 1)
            return Error::invalid(verb + " needs " + std::to_string(n) + " argument(s)");
        return Ok{};
    };
    if (verb == "status") {
        c.control = true;
        c.message = ipc::GetStatus{};
    } else if (verb == "game" || verb == "ungame" || verb == "focus") {
        if (auto st = need(1); !st) return st.error();
        auto pid = parse_pid(words[1]);
        if (!pid) return pid.error();
        if (verb == "game") {
            c.message = ipc::GameStarted{*pid, std::nullopt, words.size() > 2 ? words[2] : "manual",
                                         "gameschedctl", 100};
        } else if (verb == "ungame") {
            c.message = ipc::GameExited{*pid};
        } else {
            c.message = ipc::FocusChanged{*pid};
        }
    } else if (verb == "desktop") {
        if (auto st = need(2); !st) return st.error();
        auto pid = parse_pid(words[1]);
        if (!pid) return pid.error();
        auto role = ipc::desktop_role_from_name(words[2]);
        if (!role) return Error::invalid("unknown desktop role '" + words[2] + "' (compositor or audio)");
        c.message = ipc::DesktopProcess{*pid, *role};
    } else if (verb == "set") {
        if (auto st = need(1); !st) return st.error();
        ipc::SetTunables set;
        for (size_t i = 1; i < words.size(); ++i) {
            if (auto st = parse_tunable(words[i], set.tunables); !st) return st.error();
        }
        c.control = true;
        c.message = set;
    } else if (verb == "mode") {
        if (auto st = need(1); !st) return st.error();
        auto mode = ipc::mode_from_name(words[1]);
        if (!mode)
            return Error::invalid("unknown mode '" + words[1] +
                                  "' (auto, gaming, powersave, lowlatency, server)");
        c.control = true;
        c.message = ipc::SetMode{.mode = *mode};
    } else if (verb == "profile" || verb == "ml") {
        auto ml = parse_ml_command(words);
        if (!ml) return ml.error();
        c.ml = std::move(*ml);
    } else if (verb == "watch") {
        c.watch = true;
        c.control = stats;  // stats samples come from control.sock; process events from either
        c.message = ipc::Subscribe{events || !stats, stats, ipc::kDefaultStatsIntervalMs};
    } else {
        return Error::invalid("unknown command '" + verb + "'; see gameschedctl --help");
    }
    if (c.persist && verb != "set" && verb != "mode")
        return Error::invalid("--persist applies to set and mode only");
    return c;
}

namespace {

// Sends the command's request and prints the reply's body as JSON.
Status request_and_print(ipc::CoreClient& client, const ipc::Message& message) {
    return std::visit(
        [&client](const auto& m) -> Status {
            using M = std::decay_t<decltype(m)>;
            if constexpr (M::info.direction == ipc::Direction::push) {
                return Error::invalid("not a request");
            } else {
                auto reply = client.call(m);
                if (!reply) {
                    if (reply.error().refused())
                        return Error{EPERM, "gamesched-core refused: " + reply.error().message()};
                    const auto& error = reply.error().error;
                    return Error{error.code, error.message + " (is gamesched-core running?)"};
                }
                std::printf("%s\n", ipc::reply_body(*reply).dump(2).c_str());
                std::fflush(stdout);
                return Ok{};
            }
        },
        message);
}

}  // namespace

Status run_command(const Command& c) {
    if (c.ml) return run_ml_command(*c.ml, c.socket_dir);
    auto channel = c.control ? ipc::Channel::control : ipc::Channel::hints;
    std::string path = c.socket_dir + (c.control ? "/control.sock" : "/hints.sock");
    ipc::CoreClient client({.socket_path = path, .channel = channel, .timeout = 5s});
    if (auto done = request_and_print(client, c.message); !done) return done;
    // Written only once the core accepted the change, so the file never holds what it refuses.
    if (c.persist) {
        if (auto st = persist_settings(c.message, c.config_path); !st) {
            return st.error().context("applied until the core restarts, but not saved");
        }
        std::fprintf(stderr, "gameschedctl: saved to %s\n", c.config_path.c_str());
    }
    if (c.watch) {
        for (;;) {
            auto push = client.next_push(std::chrono::hours(24));
            if (!push) {
                if (push.error().error.code == ETIMEDOUT) continue;
                return push.error().error;
            }
            std::printf("%s\n", ipc::encode_push(*push).c_str());
            std::fflush(stdout);
        }
    }
    if (c.hold) hold_until_signalled(client);
    return Ok{};
}

}  // namespace gamesched::ctl
