#include "core/scheduler_state.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <vector>

#include "core/map_write.h"

namespace gamesched {
namespace {

constexpr uint64_t kUs = 1000, kMs = 1000 * kUs;

uint64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

// Informational only (a name for samples and profiles): the pid is verified by the caller.
std::string exe_base_name(pid_t tgid) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink("/proc/" + std::to_string(tgid) + "/exe", ec);
    return ec ? std::string() : target.filename().string();
}

}  // namespace

// The auto-mode values are bpf/intf.h's GS_TUNABLES_DEFAULTS (the one place they are written);
// the other modes change a few of them.
gs_tunables SchedulerState::defaults_for(ipc::Mode mode) {
    gs_tunables t = GS_TUNABLES_DEFAULTS;
    t.mode = static_cast<uint32_t>(mode);
    switch (mode) {
        case ipc::Mode::gaming:
            t.game_boost_pct = 40;
            t.input_boost_pct = 40;
            break;
        case ipc::Mode::lowlatency:
            t.slice_ns = 5 * kMs;
            t.slice_min_ns = 500 * kUs;
            break;
        case ipc::Mode::powersave:
            t.preempt_enabled = 0;
            break;
        case ipc::Mode::server:
            t.slice_min_ns = 2 * kMs;
            t.game_boost_pct = t.focus_boost_pct = t.input_boost_pct = 0;
            t.preempt_enabled = 0;
            break;
        case ipc::Mode::auto_:
            break;
    }
    return t;
}

SchedulerState::SchedulerState() : tunables_(defaults_for(ipc::Mode::auto_)) {}

Status SchedulerState::bind(std::optional<SchedulerMaps> maps) {
    maps_ = maps;
    if (!maps_) return desktop_.bind(-1);
    if (auto st = write_tunables(); !st) return st;
    for (const auto& [tgid, game] : games_) {
        if (auto st = write_game(tgid, game); !st) return st;
    }
    if (auto st = bump_games_generation(); !st) return st;
    if (auto st = write_focus(); !st) return st;
    for (const auto& [key, cls] : input_devices_) {
        gs_input_device dev{static_cast<uint32_t>(cls), 0};
        if (auto st = map_update(maps_->input_devices, &key, &dev, "the input allow-list"); !st) return st;
    }
    for (const auto& [comm, role] : name_hints_) {
        if (auto st = write_name_hint(comm, role); !st) return st;
    }
    return desktop_.bind(maps_->desktop_procs);
}

Status SchedulerState::write_game(pid_t tgid, const GameEntry& game) {
    if (!maps_) return Ok{};
    auto key = static_cast<uint32_t>(tgid);
    gs_game value{game.since_ns, static_cast<uint32_t>(game.owner), 0};
    if (auto st = map_update(maps_->games, &key, &value, "the game map"); !st) return st;
    if (maps_->game_stats < 0) return Ok{};
    // A zeroed per-CPU entry for the scheduler to count into; an existing one keeps counting.
    const int nr_cpus = libbpf_num_possible_cpus();
    if (nr_cpus <= 0) return Error::from_errno("counting possible CPUs", -nr_cpus);
    std::vector<gs_game_stats> zeros(static_cast<size_t>(nr_cpus));
    if (bpf_map_update_elem(maps_->game_stats, &key, zeros.data(), BPF_NOEXIST) != 0 && errno != EEXIST)
        return Error::from_errno("creating the game's statistics entry");
    return Ok{};
}

void SchedulerState::drop_game_stats(pid_t tgid) {
    if (!maps_) return;
    auto key = static_cast<uint32_t>(tgid);
    (void)map_delete(maps_->game_stats, &key, "the game statistics");
}

// After every change to the game map: the BPF side re-reads a task's game membership when it sees
// a new generation, so the bump must follow the map write.
Status SchedulerState::bump_games_generation() {
    if (!maps_) return Ok{};
    ++games_generation_;
    uint32_t zero = 0;
    return map_update(maps_->games_generation, &zero, &games_generation_, "the game generation");
}

Status SchedulerState::write_focus() {
    if (!maps_) return Ok{};
    uint32_t zero = 0, value = static_cast<uint32_t>(focus_);
    return map_update(maps_->focus, &zero, &value, "the focus map");
}

Status SchedulerState::write_tunables() {
    if (!maps_) return Ok{};
    uint32_t zero = 0;
    return map_update(maps_->tunables, &zero, &tunables_, "the tunables map");
}

Status SchedulerState::add_game(pid_t tgid, uid_t owner, const std::string& name, const std::string& source,
                                const std::optional<std::string>& app_id) {
    if (games_.size() >= GS_MAX_GAMES && !games_.count(tgid)) {
        return Error{
            ENOSPC, "too many games registered (" + std::to_string(GS_MAX_GAMES) + "); unregister one first"};
    }
    const bool is_new = !games_.count(tgid);
    auto known = games_.find(tgid);
    GameEntry entry{
        owner,         name, source, app_id, known != games_.end() ? known->second.exe : exe_base_name(tgid),
        monotonic_ns()};
    if (auto st = write_game(tgid, entry); !st) return st;
    games_[tgid] = std::move(entry);
    return is_new ? bump_games_generation() : Status{Ok{}};
}

Status SchedulerState::remove_game(pid_t tgid) {
    games_.erase(tgid);
    drop_game_stats(tgid);
    if (!maps_) return Ok{};
    auto key = static_cast<uint32_t>(tgid);
    if (auto st = map_delete(maps_->games, &key, "the game map"); !st) return st;
    return bump_games_generation();
}

bool SchedulerState::forget_game(pid_t tgid, uint64_t event_ns) {
    if (focus_ == tgid && focus_since_ns_ <= event_ns) focus_ = 0;
    const auto it = games_.find(tgid);
    if (it == games_.end() || it->second.since_ns > event_ns) return false;
    games_.erase(it);
    drop_game_stats(tgid);
    return true;
}

Status SchedulerState::set_focus(pid_t tgid) {
    focus_ = tgid;
    focus_since_ns_ = monotonic_ns();
    return write_focus();
}

Status SchedulerState::set_tunables(const ipc::Tunables& c) {
    gs_tunables next = tunables_;
    auto us = [](const std::optional<uint64_t>& v, uint64_t& field) {
        if (v) field = *v * kUs;
    };
    auto pct = [](const std::optional<uint64_t>& v, uint32_t& field) {
        if (v) field = static_cast<uint32_t>(*v);
    };
    us(c.slice_us, next.slice_ns);
    us(c.slice_min_us, next.slice_min_ns);
    us(c.lag_clamp_us, next.lag_clamp_ns);
    us(c.runtime_cap_us, next.runtime_cap_ns);
    us(c.input_window_keyboard_us, next.input_window_ns[GS_INPUT_KEYBOARD]);
    us(c.input_window_mouse_us, next.input_window_ns[GS_INPUT_MOUSE]);
    us(c.input_window_gamepad_us, next.input_window_ns[GS_INPUT_GAMEPAD]);
    pct(c.game_boost_pct, next.game_boost_pct);
    pct(c.focus_boost_pct, next.focus_boost_pct);
    pct(c.input_boost_pct, next.input_boost_pct);
    if (c.preempt_enabled) next.preempt_enabled = *c.preempt_enabled ? 1 : 0;
    // Cross-field rules the per-field ranges cannot express.
    if (next.slice_min_ns > next.slice_ns) {
        return Error::invalid("slice_min_us must not exceed slice_us");
    }
    if (next.game_boost_pct + next.focus_boost_pct + next.input_boost_pct > 200) {
        return Error::invalid("the boosts add up to more than 200 %; lower one of them");
    }
    tunables_ = next;
    return write_tunables();
}

Status SchedulerState::set_mode(ipc::Mode mode) {
    mode_ = mode;
    tunables_ = defaults_for(mode);
    return write_tunables();
}

Status SchedulerState::set_input_device(uint64_t key, gs_input_class cls) {
    input_devices_[key] = cls;
    if (!maps_) return Ok{};
    gs_input_device dev{static_cast<uint32_t>(cls), 0};
    return map_update(maps_->input_devices, &key, &dev, "the input allow-list");
}

Status SchedulerState::remove_input_device(uint64_t key) {
    input_devices_.erase(key);
    if (!maps_) return Ok{};
    return map_delete(maps_->input_devices, &key, "the input allow-list");
}

Status SchedulerState::set_name_hint(const std::string& comm, gs_role role) {
    if (comm.empty() || comm.size() >= GS_COMM_LEN)
        return Error::invalid("thread name '" + comm + "' must be 1-15 bytes");
    name_hints_[comm] = role;
    return write_name_hint(comm, role);
}

Status SchedulerState::write_name_hint(const std::string& comm, gs_role role) {
    if (!maps_) return Ok{};
    // The key is the kernel's comm: a fixed 16-byte, zero-padded buffer (the name is < 16 bytes).
    char key[GS_COMM_LEN] = {};
    std::memcpy(key, comm.data(), comm.size());  // NOLINT(bugprone-not-null-terminated-result)
    gs_name_hint hint{static_cast<uint32_t>(role), 0};
    return map_update(maps_->name_hints, key, &hint, "the thread-name hints");
}

nlohmann::json tunables_json(const gs_tunables& t) {
    return {{"slice_us", t.slice_ns / kUs},
            {"slice_min_us", t.slice_min_ns / kUs},
            {"lag_clamp_us", t.lag_clamp_ns / kUs},
            {"runtime_cap_us", t.runtime_cap_ns / kUs},
            {"input_window_keyboard_us", t.input_window_ns[GS_INPUT_KEYBOARD] / kUs},
            {"input_window_mouse_us", t.input_window_ns[GS_INPUT_MOUSE] / kUs},
            {"input_window_gamepad_us", t.input_window_ns[GS_INPUT_GAMEPAD] / kUs},
            {"game_boost_pct", t.game_boost_pct},
            {"focus_boost_pct", t.focus_boost_pct},
            {"input_boost_pct", t.input_boost_pct},
            {"preempt_enabled", t.preempt_enabled != 0}};
}

nlohmann::json SchedulerState::to_json() const {
    nlohmann::json games = nlohmann::json::array();
    for (const auto& [tgid, g] : games_) {
        games.push_back(
            {{"pid", tgid}, {"uid", g.owner}, {"name", g.name}, {"source", g.source}, {"exe", g.exe}});
        if (g.app_id) games.back()["app_id"] = *g.app_id;
    }
    const auto& t = tunables_;
    return {
        {"mode", std::string(ipc::mode_name(mode_))},
        {"games", games},
        {"focus_pid", focus_},
        {"desktop_processes", desktop_.to_json()},
        {"input_devices", input_devices_.size()},
        {"tunables", tunables_json(t)},
    };
}

}  // namespace gamesched
