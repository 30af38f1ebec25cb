#include "tests/integration/ipc/recording_scheduler.h"

#include <time.h>

namespace gamesched::test {
namespace {
constexpr std::size_t kMaxCalls = 256;
}

void RecordingScheduler::record(nlohmann::json call) {
    if (calls_.size() == kMaxCalls) calls_.pop_front();
    calls_.push_back(std::move(call));
}

Status RecordingScheduler::add_game(pid_t tgid, uid_t owner, const server::GameInfo& info) {
    record({{"call", "add_game"}, {"pid", tgid}, {"owner", owner}});
    games_[tgid] = {
        {"owner", owner}, {"name", info.name}, {"source", info.source}, {"confidence", info.confidence}};
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    pending_events.push_back(
        {ipc::ProcessEventKind::exec, tgid, 0, owner, "testgame",
         static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(now.tv_nsec)});
    return Ok{};
}

Status RecordingScheduler::remove_game(pid_t tgid) {
    record({{"call", "remove_game"}, {"pid", tgid}});
    games_.erase(tgid);
    return Ok{};
}

Status RecordingScheduler::set_focus(pid_t tgid) {
    record({{"call", "set_focus"}, {"pid", tgid}});
    focus_ = tgid;
    return Ok{};
}

Status RecordingScheduler::add_desktop_process(pid_t tgid, uid_t owner, ipc::DesktopRole role) {
    const std::string name(ipc::desktop_role_name(role));
    record({{"call", "add_desktop_process"}, {"pid", tgid}, {"uid", owner}, {"role", name}});
    desktop_[tgid] = name;
    return Ok{};
}

Status RecordingScheduler::remove_desktop_process(pid_t tgid) {
    record({{"call", "remove_desktop_process"}, {"pid", tgid}});
    desktop_.erase(tgid);
    return Ok{};
}

Status RecordingScheduler::set_tunables(const ipc::Tunables& tunables) {
    nlohmann::json given = nlohmann::json::object();
    for (const auto& range : ipc::kTunableRanges) {
        if (const auto& value = tunables.*range.member) {
            given[std::string(range.name)] = *value;
            tunables_[std::string(range.name)] = *value;
        }
    }
    record({{"call", "set_tunables"}, {"tunables", given}});
    return Ok{};
}

Status RecordingScheduler::set_mode(ipc::Mode mode) {
    record({{"call", "set_mode"}, {"mode", ipc::mode_name(mode)}});
    mode_ = mode;
    return Ok{};
}

Status RecordingScheduler::stop_and_stay_off(const std::string& requested_by) {
    record({{"call", "stop_and_stay_off"}, {"requested_by", requested_by}});
    return Ok{};
}

nlohmann::json RecordingScheduler::status() {
    nlohmann::json games = nlohmann::json::object();
    for (const auto& [pid, game] : games_) games[std::to_string(pid)] = game;
    return {{"calls", calls_},
            {"games", games},
            {"focus", focus_},
            {"desktop", desktop_},
            {"mode", ipc::mode_name(mode_)},
            {"tunables", tunables_}};
}

}  // namespace gamesched::test
